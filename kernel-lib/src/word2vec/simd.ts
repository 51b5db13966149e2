/**
 * Three vector operations of the SGNS inner loop as a tiny WebAssembly SIMD module (f32x4):
 *
 *   dot(a, b, n) → Σ a[i]·b[i]
 *   update(l1, l2, neu, n, g): neu += g·syn1[l2]; syn1[l2] += g·syn0[l1]
 *   addClear(dst, src, n): dst += src; src = 0
 *
 * Pointers are byte offsets into one (shared) WebAssembly.Memory holding both matrices; n is a
 * multiple of 4. Doing four lanes per instruction is what lets a JavaScript trainer keep pace with
 * gensim's BLAS calls. The module is assembled here byte by byte (about 200 bytes, with
 * util/wasm-asm), so no toolchain or binary file is needed. kernel.ts runs one loop over either
 * these or `jsVectorOps` (the fallback when SIMD is unavailable or dim is not a multiple of 4);
 * reference.ts is the readable version the tests compare both with.
 */
import type { VectorOps } from "./kernel";
import {
  ADD4, adv, endPtr, F32, F32_ADD, func, get, HEADER, I32, lane, LOAD, loopUntil, MUL4, section, set, SPLAT, STORE, str, uleb, V128, vec,
} from "../util/wasm-asm";

/** The module's bytes. */
export function simdModuleBytes(): Uint8Array<ArrayBuffer> {
  // dot(a=0, b=1, n=2) -> f32; locals end=3 (i32), acc=4 (v128)
  const dot = func(
    [[1, I32], [1, V128]],
    [
      ...endPtr(0, 2, 3),
      ...loopUntil(0, 3, [...get(4), ...get(0), ...LOAD, ...get(1), ...LOAD, ...MUL4, ...ADD4, ...set(4), ...adv(0), ...adv(1)]),
      ...get(4), ...lane(0), ...get(4), ...lane(1), ...F32_ADD, ...get(4), ...lane(2), ...F32_ADD, ...get(4), ...lane(3), ...F32_ADD,
    ],
  );
  // update(l1=0, l2=1, neu=2, n=3, g=4); locals end=5, gv=6, o=7
  const update = func(
    [[1, I32], [2, V128]],
    [
      ...get(4), ...SPLAT, ...set(6),
      ...endPtr(1, 3, 5),
      ...loopUntil(1, 5, [
        ...get(1), ...LOAD, ...set(7),
        ...get(2), ...get(2), ...LOAD, ...get(6), ...get(7), ...MUL4, ...ADD4, ...STORE,
        ...get(1), ...get(7), ...get(6), ...get(0), ...LOAD, ...MUL4, ...ADD4, ...STORE,
        ...adv(0), ...adv(1), ...adv(2),
      ]),
    ],
  );
  // addClear(dst=0, src=1, n=2); locals end=3, zero=4
  const addClear = func(
    [[1, I32], [1, V128]],
    [
      ...endPtr(1, 2, 3),
      ...loopUntil(1, 3, [
        ...get(0), ...get(0), ...LOAD, ...get(1), ...LOAD, ...ADD4, ...STORE,
        ...get(1), ...get(4), ...STORE,
        ...adv(0), ...adv(1),
      ]),
    ],
  );
  const bytes = [
    ...HEADER,
    ...section(1, vec([
      [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[F32]])],
      [0x60, ...vec([[I32], [I32], [I32], [I32], [F32]]), 0],
      [0x60, ...vec([[I32], [I32], [I32]]), 0],
    ])),
    // import env.memory: shared, min 1, max 65536 pages
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x03, ...uleb(1), ...uleb(65536)]])),
    ...section(3, vec([[0], [1], [2]])),
    ...section(7, vec([
      [...str("dot"), 0x00, 0],
      [...str("update"), 0x00, 1],
      [...str("addClear"), 0x00, 2],
    ])),
    ...section(10, vec([dot, update, addClear])),
  ];
  return new Uint8Array(bytes);
}

/** The three exported operations, on byte offsets into the shared memory. */
export type SimdOps = VectorOps;

let compiled: WebAssembly.Module | null | undefined;

/** The compiled module, or null where WebAssembly SIMD or shared memory is unavailable. */
export function simdModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = simdModuleBytes();
    compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
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
