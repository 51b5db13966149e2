/**
 * The SGNS inner loop's three vector operations as WebAssembly SIMD (f32x4): `dot`, `update` and
 * `addClear`, written in simd.wat (compiled to simd.wasm at build time). fast-loop.ts runs one loop
 * over either these or `jsVectorOps` (the fallback when SIMD is unavailable or dim is not a
 * multiple of 4); reference.ts is the readable version the tests compare both with.
 *
 * Pointers are byte offsets into one shared WebAssembly.Memory holding both matrices.
 */
import { loadWasmModule } from "../util/wasm-module";
import type { VectorOps } from "./training-data";

/** The three exported operations, on byte offsets into the shared memory. */
export type SimdOps = VectorOps;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD or shared memory is unavailable. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    compiled = loadWasmModule(__dirname, "simd");
  } catch (e) {
    // A missing file is a broken build (say so); a module this engine cannot compile means no SIMD.
    if (!(e instanceof WebAssembly.CompileError)) throw e;
    compiled = null;
  }
  return compiled;
}

/** A shared memory of at least `bytes` bytes. */
export function sharedMemory(bytes: number): WebAssembly.Memory {
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  if (pages > 65536) throw new RangeError(`model needs ${bytes} bytes, more than WebAssembly's 4 GiB`);
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/** Instantiate the ops over `memory` (synchronously; the module is tiny). */
export function simdOps(memory: WebAssembly.Memory): SimdOps | null {
  const mod = simdModule();
  if (!mod) return null;
  const inst = new WebAssembly.Instance(mod, { env: { memory } });
  return inst.exports as unknown as SimdOps;
}
