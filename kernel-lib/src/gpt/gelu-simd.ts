/**
 * Exact GELU and its derivative, four lanes at a time, in a tiny WebAssembly SIMD module.
 *
 *   y = x · Φ(x),  dy/dx = Φ(x) + x · φ(x),  Φ(x) = ½ (1 + erf(x/√2)),  φ(x) = e^(−x²/2) / √(2π)
 *
 * erf is Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7), the same formula as the JavaScript loop in
 * ops.ts, and its e^(−a²) is also the pdf's, so one exponential per element. The exponential is
 * computed as 2ⁿ · p(r) with n = round(z · log₂e), r = z − n · ln 2 and p a degree-6 polynomial
 * (relative error < 3e-7 in float32); 2ⁿ is built from its exponent bits. In JavaScript the
 * Math.exp per element dominates (≈ 11 ms for a 768 × 512 activation); here the whole call,
 * copies in and out included, takes ≈ 3.6 ms.
 */
import {
  ABS4, ADD4, adv, BITSELECT, c4, DIV4, endPtr, func, get, HEADER, I32, I32X4_ADD, I32X4_SHL, I32X4_TRUNC_SAT_F32X4_S, i32c,
  LOAD, loopUntil, LT4, MAX4, MUL4, NEAREST4, NEG4, section, set, SPLAT_I32, STORE, str, SUB4, uleb, V128, vec,
} from "../util/wasm-asm";

const INV_SQRT2 = Math.SQRT1_2;
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);
const LN2_HI = 0.693145751953125;
const LN2_LO = 1.428606765330187e-6;
// A&S 7.1.26.
const P = 0.3275911;
const A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429];

/**
 * Constants live in v128 locals set once before the loop (an f32.const + splat per use inside the
 * loop would cost two instructions each time).
 */
class Constants {
  readonly values: number[] = [];
  constructor(private readonly first: number) {}
  /** Push the 4-lane constant x. */
  k(x: number): number[] {
    let i = this.values.indexOf(x);
    if (i < 0) i = this.values.push(x) - 1;
    return get(this.first + i);
  }
  /** The code that fills the locals. */
  prologue(): number[] {
    return this.values.flatMap((x, i) => [...c4(x), ...set(this.first + i)]);
  }
}

/** Horner: c[0] + x·(c[1] + x·(… + x·c[k])) with x in local `x`. */
function horner(K: Constants, x: number, c: number[]): number[] {
  let code = K.k(c[c.length - 1]);
  for (let i = c.length - 2; i >= 0; i--) code = [...code, ...get(x), ...MUL4, ...K.k(c[i]), ...ADD4];
  return code;
}

/** Type of `geluFunc`: (x, y, d, n: i32) → (). */
export const GELU_TYPE = [0x60, ...vec([[I32], [I32], [I32], [I32]]), 0];

/** The body of gelu(x, y, d, n): writes y and the derivative d for n floats at x (n % 4 = 0). */
export function geluFunc(): number[] {
  // params x=0 y=1 d=2 n=3; locals end=4 (i32); v=5 a=6 t=7 k=8 r=9 e=10 cdf=11, constants 12… (v128)
  const [X, Y, D, N, END, V, AA, T, K, R, E, CDF] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
  const C = new Constants(12);
  const k4 = (x: number) => C.k(x);
  const body = [
    ...get(X), ...LOAD, ...set(V),
    // a = |v| / √2;  t = 1 / (1 + p·a)
    ...get(V), ...ABS4, ...k4(INV_SQRT2), ...MUL4, ...set(AA),
    ...k4(1), ...k4(1), ...k4(P), ...get(AA), ...MUL4, ...ADD4, ...DIV4, ...set(T),
    // z = max(−a², −87) kept in r for now;  k = round(z·log₂e)
    ...get(AA), ...get(AA), ...MUL4, ...NEG4, ...k4(-87), ...MAX4, ...set(R),
    ...get(R), ...k4(Math.LOG2E), ...MUL4, ...NEAREST4, ...set(K),
    // r = z − k·ln2 (two parts)
    ...get(R), ...get(K), ...k4(LN2_HI), ...MUL4, ...SUB4, ...get(K), ...k4(LN2_LO), ...MUL4, ...SUB4, ...set(R),
    // e = p(r) · 2^k, 2^k from the exponent bits (k + 127) << 23
    ...horner(C, R, [1, 1, 1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720]),
    ...get(K), ...I32X4_TRUNC_SAT_F32X4_S, ...i32c(127), ...SPLAT_I32, ...I32X4_ADD, ...i32c(23), ...I32X4_SHL,
    ...MUL4, ...set(E),
    // |erf| = 1 − t·poly(t)·e;  cdf = ½ (1 + sign(v)·|erf|)
    ...k4(1), ...get(T), ...horner(C, T, A), ...MUL4, ...get(E), ...MUL4, ...SUB4, ...set(CDF),
    ...get(CDF), ...NEG4, ...get(CDF), ...get(V), ...k4(0), ...LT4, ...BITSELECT,
    ...k4(1), ...ADD4, ...k4(0.5), ...MUL4, ...set(CDF),
    // y = v·cdf;  d = cdf + v·e/√(2π)
    ...get(Y), ...get(V), ...get(CDF), ...MUL4, ...STORE,
    ...get(D), ...get(CDF), ...get(V), ...get(E), ...MUL4, ...k4(INV_SQRT_2PI), ...MUL4, ...ADD4, ...STORE,
    ...adv(X), ...adv(Y), ...adv(D),
  ];
  return func([[1, I32], [7 + C.values.length, V128]], [...C.prologue(), ...endPtr(X, N, END), ...loopUntil(X, END, body)]);
}

/** The module's bytes: gelu(x, y, d, n) on its own imported memory. */
export function geluModuleBytes(): Uint8Array<ArrayBuffer> {
  const bytes = [
    ...HEADER,
    ...section(1, vec([GELU_TYPE])),
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, 0x00, ...uleb(1)]])),
    ...section(3, vec([[0]])),
    ...section(7, vec([[...str("gelu"), 0x00, 0]])),
    ...section(10, vec([geluFunc()])),
  ];
  return new Uint8Array(bytes);
}

interface GeluKernel {
  memory: WebAssembly.Memory;
  gelu(x: number, y: number, d: number, n: number): void;
}

let kernel: GeluKernel | null | undefined;

function instance(): GeluKernel | null {
  if (kernel !== undefined) return kernel;
  try {
    const bytes = geluModuleBytes();
    if (!WebAssembly.validate(bytes)) {
      kernel = null;
      return null;
    }
    const memory = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } });
    kernel = { memory, gelu: (inst.exports as { gelu: GeluKernel["gelu"] }).gelu };
  } catch {
    kernel = null;
  }
  return kernel;
}

/** Whether the SIMD kernel is available here. */
export function geluSimdAvailable(): boolean {
  return instance() !== null;
}

/**
 * GELU values and derivatives of `x` (length a multiple of 4), or null without WebAssembly SIMD.
 * The results are views into the kernel's memory, valid until the next call: copy them (e.g. into
 * tensors) before calling again.
 */
export function geluSimd(x: Float32Array): { y: Float32Array; d: Float32Array } | null {
  const k = instance();
  if (k === null || x.length % 4 !== 0) return null;
  const bytes = x.length * 4;
  const need = 3 * bytes;
  const have = k.memory.buffer.byteLength;
  if (need > have) k.memory.grow(Math.ceil((need - have) / 65536));
  const heap = new Float32Array(k.memory.buffer);
  heap.set(x, 0);
  k.gelu(0, bytes, 2 * bytes, x.length);
  return { y: heap.subarray(x.length, 2 * x.length), d: heap.subarray(2 * x.length, 3 * x.length) };
}
