import type * as tf from "@tensorflow/tfjs";
import { einsumWasm } from "./Einsum";
import { fixCastWasm } from "./Cast";
import { shareIdentityWasm } from "./Identity";
import { fixGatherV2Wasm } from "./GatherV2";
import { blasBatchMatMulWasm, blasFusedMatMulWasm } from "./MatMulBlas";
import { fixOneHotWasm } from "./OneHot";
import { fixUnsortedSegmentSumCpu, unsortedSegmentSumWasm } from "./UnsortedSegmentSum";
import { fixUnsortedSegmentSumWebgpu } from "./UnsortedSegmentSumWebgpu";
import { fixAddNWebgpu } from "./AddNWebgpu";
import { adamWUpdateWasmKernel } from "./AdamW";
import { causalAttentionGradWasmKernel, causalAttentionWasmKernel } from "./Attention";
import { crossEntropyWasmKernel } from "./CrossEntropy";
import { slicedBatchMatMulWasm } from "./BatchMatMulSliced";
import { geluWasmKernel } from "./Gelu";
import { headsToRowsWasmKernel, rowsToHeadsWasmKernel } from "./Heads";
import { layerNormGradWasmKernel, layerNormWasmKernel } from "./LayerNorm";
import { sumOfSquaresWasmKernel } from "./SumOfSquares";
import { blockedTransposeWasm } from "./Transpose";

/**
 * Kernels the wasm backend lacks and training needs, one file each, and the wasm kernels of
 * kernel-lib's own ops (../ops: LayerNorm, Gelu, AdamWUpdate, SumOfSquares, the head moves, causal attention, softmax cross-entropy; written in
 * WebAssembly text beside their loaders). `initTf` registers every entry (skipping any the
 * installed backend already has). To add one: write `kernels/<KernelName>.ts` exporting a
 * `KernelConfig` and append it here.
 */
export const WASM_KERNELS: tf.KernelConfig[] = [
  unsortedSegmentSumWasm,
  einsumWasm,
  layerNormWasmKernel,
  layerNormGradWasmKernel,
  geluWasmKernel,
  adamWUpdateWasmKernel,
  rowsToHeadsWasmKernel,
  headsToRowsWasmKernel,
  causalAttentionWasmKernel,
  causalAttentionGradWasmKernel,
  sumOfSquaresWasmKernel,
  crossEntropyWasmKernel,
];

/** A repair of a kernel a backend has but gets wrong (or far too slowly): it receives the native one. */
export interface KernelFix {
  kernelName: string;
  backendName: string;
  wrap: (native: tf.KernelConfig) => tf.KernelConfig;
}

/**
 * Repairs applied by `initTf` once the backends' own kernels are registered. Several fixes of one
 * kernel wrap each other in list order (the later one sees the earlier one as "native").
 */
export const KERNEL_FIXES: KernelFix[] = [
  { kernelName: "GatherV2", backendName: "wasm", wrap: fixGatherV2Wasm },
  { kernelName: "OneHot", backendName: "wasm", wrap: fixOneHotWasm },
  { kernelName: "Cast", backendName: "wasm", wrap: fixCastWasm },
  // Not a repair: clones (every tensor a gradient saves) share the data instead of copying it.
  { kernelName: "Identity", backendName: "wasm", wrap: shareIdentityWasm },
  { kernelName: "UnsortedSegmentSum", backendName: "cpu", wrap: fixUnsortedSegmentSumCpu },
  // Only once tfjs-backend-webgpu has loaded (the webgpu backend was chosen); its shader does not compile.
  { kernelName: "UnsortedSegmentSum", backendName: "webgpu", wrap: fixUnsortedSegmentSumWebgpu },
  // WebGPU's 8 storage buffers per shader stage: tf.addN of many tensors is summed in groups.
  { kernelName: "AddN", backendName: "webgpu", wrap: fixAddNWebgpu },
  // Not a repair: transposes of the last two axes in 4 × 4 blocks (the matMuls below transpose operands).
  { kernelName: "Transpose", backendName: "wasm", wrap: blockedTransposeWasm },
  // Not repairs: batched and transposed float32 products as XNNPACK products (wasm's own are slow)…
  { kernelName: "BatchMatMul", backendName: "wasm", wrap: slicedBatchMatMulWasm },
  // …and float32 products go to native BLAS when ../blas.ts loaded it (else unchanged).
  { kernelName: "BatchMatMul", backendName: "wasm", wrap: blasBatchMatMulWasm },
  { kernelName: "_FusedMatMul", backendName: "wasm", wrap: blasFusedMatMulWasm },
];
