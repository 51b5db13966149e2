/**
 * Every use kernel-lib makes of @tensorflow/tfjs-backend-wasm beyond its documented API, in one
 * place: the Emscripten module behind the backend (its memory, `_malloc`, the C entry point
 * `_BatchMatMul`, `tfjs.registerTensor` / `tfjs.disposeData`) and the backend's tensor table
 * (`dataIdMap`, `makeOutput`, `typedArrayFromHeap`). The kernels under tf/kernels/ use these to
 * read tensors where the backend keeps them and to write into outputs it allocated, so no data is
 * copied between JavaScript and WebAssembly.
 *
 * These shapes are those of the pinned version (PINNED_VERSION);
 * test/unit/internals/tfjs-backend-wasm.test.ts fails, naming it, when an upgrade changes them.
 */
import * as tf from "@tensorflow/tfjs";

/** The tfjs-backend-wasm version whose internals this module was written against. */
export const PINNED_VERSION = "4.22.0";

/** The Emscripten module of the wasm backend, as far as kernel-lib uses it. */
export interface WasmModuleInternals {
  HEAPU8: Uint8Array;
  /** The threaded build exposes its memory here… */
  wasmMemory?: WebAssembly.Memory;
  /** …the single-threaded builds only among the instance's exports. */
  asm?: { memory?: WebAssembly.Memory };
  _malloc(bytes: number): number;
  _BatchMatMul(
    aId: number,
    aShape: number,
    aRank: number,
    bId: number,
    bShape: number,
    bRank: number,
    transposeA: number,
    transposeB: number,
    outId: number,
  ): void;
  tfjs: { registerTensor(id: number, size: number, memoryOffset: number): void; disposeData(id: number): void };
}

/** The wasm backend object, as far as kernel-lib uses it. */
export interface WasmBackendInternals {
  wasm: WasmModuleInternals;
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array | Int32Array | Uint8Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

/** What is missing from `backend` compared with the pinned version's shape (empty when all is there). */
export function missingInternals(backend: unknown): string[] {
  const b = backend as Partial<WasmBackendInternals> | undefined;
  const w = b?.wasm as Partial<WasmModuleInternals> | undefined;
  const missing: string[] = [];
  if (typeof b?.dataIdMap?.get !== "function") missing.push("backend.dataIdMap.get");
  if (typeof b?.makeOutput !== "function") missing.push("backend.makeOutput");
  if (typeof b?.typedArrayFromHeap !== "function") missing.push("backend.typedArrayFromHeap");
  if (typeof b?.disposeData !== "function") missing.push("backend.disposeData");
  if (!(w?.HEAPU8 instanceof Uint8Array)) missing.push("backend.wasm.HEAPU8");
  if (!(heapMemoryOf(w) instanceof WebAssembly.Memory)) missing.push("backend.wasm.wasmMemory (or asm.memory)");
  if (typeof w?._malloc !== "function") missing.push("backend.wasm._malloc");
  if (typeof w?._BatchMatMul !== "function") missing.push("backend.wasm._BatchMatMul");
  if (typeof w?.tfjs?.registerTensor !== "function") missing.push("backend.wasm.tfjs.registerTensor");
  if (typeof w?.tfjs?.disposeData !== "function") missing.push("backend.wasm.tfjs.disposeData");
  return missing;
}

function heapMemoryOf(w: Partial<WasmModuleInternals> | undefined): WebAssembly.Memory | undefined {
  return w?.wasmMemory ?? w?.asm?.memory;
}

/**
 * The wasm backend viewed through its internals. Kernels registered for "wasm" receive it as
 * their `backend` argument; this checks the shape once per backend object and throws, naming
 * what changed and the pinned version, if it is not the one this module knows.
 */
const checked = new WeakSet<object>();
export function wasmInternals(backend: unknown): WasmBackendInternals {
  const b = backend as object;
  if (!checked.has(b)) {
    const missing = missingInternals(backend);
    if (missing.length > 0) {
      throw new Error(
        `kernel-lib: @tensorflow/tfjs-backend-wasm no longer has ${missing.join(", ")}; kernel-lib's ` +
          `kernels were written against version ${PINNED_VERSION} (see kernel-lib/src/internals/tfjs-backend-wasm.ts)`,
      );
    }
    checked.add(b);
  }
  return backend as WasmBackendInternals;
}

/** The WebAssembly memory the backend keeps its tensors in (shared in the threaded build). */
export function heapMemory(backend: WasmBackendInternals): WebAssembly.Memory {
  return heapMemoryOf(backend.wasm)!;
}

/** Byte offset of a tensor's data in the backend's memory. */
export function heapOffset(backend: WasmBackendInternals, t: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error("kernel-lib: the tensor is not in the wasm backend's memory");
  return entry.memoryOffset;
}

/** A new tensor (float32 unless told) the backend allocated in its memory (contents undefined until written). */
export function makeOutput(backend: WasmBackendInternals, shape: number[], dtype: "float32" | "int32" = "float32"): tf.TensorInfo {
  return backend.makeOutput(shape, dtype);
}

/** A float32 view of a tensor's data (take it after the last allocation: growing the memory detaches views). */
export function heapView(backend: WasmBackendInternals, t: tf.TensorInfo): Float32Array {
  return backend.typedArrayFromHeap(t) as Float32Array;
}

/** Frees a tensor allocated with `makeOutput` that will not be returned. */
export function disposeOutput(backend: WasmBackendInternals, t: tf.TensorInfo): void {
  backend.disposeData(t.dataId);
}

// Temporary tensor ids far above the backend's own counter; released right after each product.
const SLICE_IDS = [2_000_000_001, 2_000_000_002, 2_000_000_003];
const shapeBuffers = new WeakMap<WasmModuleInternals, number>();

/**
 * out = a · b for `count` pairs of matrices stored back to back: a `[m, k]` at byte offset
 * `aOffset + s·4mk`, b `[k, p]` at `bOffset + s·4kp`, out `[m, p]` at `outOffset + s·4mp`. Each
 * product is one call of the backend's C `BatchMatMul` on a single matrix, which XNNPACK runs
 * (its batched loop does not): the slices are registered as temporary tensors that point into
 * the operands in place, then released (which also drops XNNPACK's operator cached for them).
 */
export function matMulSlices(
  backend: WasmBackendInternals,
  count: number,
  m: number,
  k: number,
  p: number,
  aOffset: number,
  bOffset: number,
  outOffset: number,
): void {
  const w = backend.wasm;
  let shapes = shapeBuffers.get(w);
  if (shapes === undefined) {
    shapes = w._malloc(24);
    shapeBuffers.set(w, shapes);
  }
  new Int32Array(w.HEAPU8.buffer, shapes, 6).set([1, m, k, 1, k, p]);
  const [ia, ib, io] = SLICE_IDS;
  for (let s = 0; s < count; s++) {
    w.tfjs.registerTensor(ia, m * k, aOffset + 4 * s * m * k);
    w.tfjs.registerTensor(ib, k * p, bOffset + 4 * s * k * p);
    w.tfjs.registerTensor(io, m * p, outOffset + 4 * s * m * p);
    w._BatchMatMul(ia, shapes, 3, ib, shapes + 12, 3, 0, 0, io);
    w.tfjs.disposeData(ia);
    w.tfjs.disposeData(ib);
    w.tfjs.disposeData(io);
  }
}

/** The installed tfjs-backend-wasm version (from its package.json). */
export function installedVersion(): string {
  return (require("@tensorflow/tfjs-backend-wasm/package.json") as { version: string }).version;
}
