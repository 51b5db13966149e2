/**
 * A few helpers to write small WebAssembly modules byte by byte (the binary format's LEB128
 * integers, sections, vectors and the handful of instructions kernel-lib's SIMD kernels use), so
 * that no toolchain or binary file is needed. See gpt/gelu-simd.ts and gpt/heap-kernels.ts.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** A section: id, byte length, body. */
export function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A vector: count, then the items. */
export function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A name: byte length, then UTF-8 bytes. */
export function str(s: string): number[] {
  const b = [...Buffer.from(s, "utf8")];
  return [...uleb(b.length), ...b];
}

/** A function body: locals given as [count, type] runs, then the code and `end`. */
export function func(locals: [number, number][], code: number[]): number[] {
  const body = [...vec(locals.map(([c, t]) => [...uleb(c), t])), ...code, 0x0b];
  return [...uleb(body.length), ...body];
}

// Instructions.
export const get = (i: number) => [0x20, i];
export const set = (i: number) => [0x21, i];
export const tee = (i: number) => [0x22, i];
/** Signed LEB128 (i32.const immediates are signed: 64…127 already need two bytes). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return out;
  }
}
/** i32.const */
export const i32c = (v: number) => [0x41, ...sleb(v)];
export const I32_ADD = [0x6a];
export const I32_SHL = [0x74];
export const I32_GE_U = [0x4f];
export const F32_ADD = [0x92];
/** f32.const with the value's 4 little-endian bytes. */
export function f32c(x: number): number[] {
  const b = Buffer.alloc(4);
  b.writeFloatLE(x, 0);
  return [0x43, ...b];
}
/** A SIMD instruction (prefix 0xfd, opcode as LEB128, immediates). */
export const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
export const LOAD = simd(0x00, 2, 0); // v128.load align=4 offset=0
export const STORE = simd(0x0b, 2, 0);
/** f32x4.splat */
export const SPLAT = simd(0x13);
/** i32x4.splat */
export const SPLAT_I32 = simd(0x11);
export const ADD4 = simd(0xe4);
export const SUB4 = simd(0xe5);
export const MUL4 = simd(0xe6);
export const DIV4 = simd(0xe7);
export const MAX4 = simd(0xe9);
export const ABS4 = simd(0xe0);
export const NEG4 = simd(0xe1);
export const NEAREST4 = simd(0x6a);
export const LT4 = simd(0x43);
export const BITSELECT = simd(0x52);
export const I32X4_TRUNC_SAT_F32X4_S = simd(0xf8);
export const I32X4_ADD = simd(0xae);
export const I32X4_SHL = simd(0xab);
/** Lane k of an f32x4 as an f32. */
export const lane = (k: number) => simd(0x1f, k);
/** A 4-lane f32 constant (f32.const + splat). */
export const c4 = (x: number) => [...f32c(x), ...SPLAT];
/** Advance pointer local `i` by 16 bytes (one v128). */
export const adv = (i: number) => [...get(i), ...i32c(16), ...I32_ADD, ...set(i)];
/** block { loop { if (ptr >= end) break; body; br loop } } */
export const loopUntil = (ptr: number, end: number, body: number[]) => [
  0x02, 0x40, 0x03, 0x40, ...get(ptr), ...get(end), ...I32_GE_U, 0x0d, 1, ...body, 0x0c, 0, 0x0b, 0x0b,
];
/** dst = ptr + 4·n (the end of n floats from ptr). */
export const endPtr = (ptr: number, n: number, dst: number) => [...get(ptr), ...get(n), ...i32c(2), ...I32_SHL, ...I32_ADD, ...set(dst)];
/** The module header (magic and version). */
export const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
