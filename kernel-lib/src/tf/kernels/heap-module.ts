import type * as tf from "@tensorflow/tfjs";
import { heapMemory, type WasmBackendInternals } from "../../internals/tfjs-backend-wasm";
import { loadWasmModule } from "../../util/wasm-module";

const instances = new WeakMap<WebAssembly.Memory, Map<string, WebAssembly.Exports>>();

/**
 * The exports of the kernel module `<name>.wat` (compiled beside this file) instantiated on the
 * wasm backend's own memory, once per memory: its functions read and write tensors where the
 * backend keeps them, by byte offset. The threaded build's memory is shared, and an imported
 * memory must match exactly, so that build gets `<name>.shared.wasm`.
 */
export function heapModule<T>(backend: WasmBackendInternals, name: string): T {
  const memory = heapMemory(backend);
  let byName = instances.get(memory);
  if (byName === undefined) {
    byName = new Map();
    instances.set(memory, byName);
  }
  let exports = byName.get(name);
  if (exports === undefined) {
    const shared = typeof SharedArrayBuffer !== "undefined" && memory.buffer instanceof SharedArrayBuffer;
    const module = loadWasmModule(__dirname, shared ? `${name}.shared` : name);
    exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    byName.set(name, exports);
  }
  return exports as T;
}

/** The registration of `kernelFunc` as the wasm backend's kernel `kernelName`. */
export function wasmKernel(kernelName: string, kernelFunc: (args: never) => tf.TensorInfo | tf.TensorInfo[]): tf.KernelConfig {
  return { kernelName, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}
