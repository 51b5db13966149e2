/**
 * LayerNorm (forward and backward), GELU, the AdamW update and a strided row copy (for moving
 * attention heads) as WebAssembly kernels (SIMD where it pays) that run
 * on the wasm backend's own memory: they read tensors where the backend keeps them and write into
 * outputs it allocated, so no data is copied between JavaScript and WebAssembly.
 *
 * Plain JavaScript loops cost ≈ 3 ns per element and pass on the 2-core machine these lessons are
 * measured on, and copying a tensor out (`dataSync`) and back in costs as much again; four lanes
 * of WebAssembly SIMD per instruction bring LayerNorm and AdamW down several times (see
 * `bench gpt`). The arithmetic is the same as the JavaScript versions in ops.ts and optim.ts
 * (those remain for the cpu backend, and the tests compare the two).
 */
import * as tf from "@tensorflow/tfjs";
import {
  ADD4, adv, c4, DIV4, endPtr, F32, F32_ADD, f32c, func, get, HEADER, I32, I32_ADD, i32c, lane, LOAD, loopUntil, MUL4, section, set, simd,
  SPLAT, STORE, str, SUB4, uleb, V128, vec,
} from "../util/wasm-asm";
import { GELU_TYPE, geluFunc } from "./gelu-simd";

const F32_MUL = [0x94];
const F32_DIV = [0x95];
const F32_SQRT = [0x91];
const F32_LOAD = [0x2a, 2, 0];
const F32_STORE = [0x38, 2, 0];
const I32_MUL = [0x6c];
const SQRT4 = simd(0xe3);

/** f32 sum of the four lanes of v128 local `v`. */
const hsum = (v: number) => [...get(v), ...lane(0), ...get(v), ...lane(1), ...F32_ADD, ...get(v), ...lane(2), ...F32_ADD, ...get(v), ...lane(3), ...F32_ADD];
/** dst = src (i32 locals). */
const copy = (src: number, dst: number) => [...get(src), ...set(dst)];
/** Advance i32 local `i` by `bytes`. */
const step = (i: number, bytes: number) => [...get(i), ...i32c(bytes), ...I32_ADD, ...set(i)];

/**
 * ln_fwd(x, gamma, beta, xhat, rstd, y, rows, dim, invDim, eps): for each of `rows` rows of `dim`
 * floats (dim % 4 = 0): mean, variance (two passes), r = 1/√(var + eps), x̂ = (x − mean)·r,
 * y = x̂·gamma + beta; stores x̂, r and y.
 */
function lnForward(): number[] {
  // params: x0 g1 b2 xh3 rs4 y5 rows6 dim7 invDim8(f32) eps9(f32)
  // locals: i32 xEnd10 rowEnd11 p12 gp13 bp14; f32 mean15 r16; v128 acc17 mv18 rv19 h20
  const [X, G, B, XH, RS, Y, ROWS, DIM, INV, EPS] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [XEND, ROWEND, P, GP, BP, MEAN, R, ACC, MV, RV, H] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];
  const row = [
    ...endPtr(X, DIM, ROWEND),
    // mean
    ...c4(0), ...set(ACC), ...copy(X, P),
    ...loopUntil(P, ROWEND, [...get(ACC), ...get(P), ...LOAD, ...ADD4, ...set(ACC), ...adv(P)]),
    ...hsum(ACC), ...get(INV), ...F32_MUL, ...set(MEAN),
    ...get(MEAN), ...SPLAT, ...set(MV),
    // variance of x − mean
    ...c4(0), ...set(ACC), ...copy(X, P),
    ...loopUntil(P, ROWEND, [...get(P), ...LOAD, ...get(MV), ...SUB4, ...set(H), ...get(ACC), ...get(H), ...get(H), ...MUL4, ...ADD4, ...set(ACC), ...adv(P)]),
    // r = 1 / √(var + eps), stored per row
    ...f32c(1), ...hsum(ACC), ...get(INV), ...F32_MUL, ...get(EPS), ...F32_ADD, ...F32_SQRT, ...F32_DIV, ...set(R),
    ...get(RS), ...get(R), ...F32_STORE, ...step(RS, 4),
    ...get(R), ...SPLAT, ...set(RV),
    // x̂ and y
    ...copy(X, P), ...copy(G, GP), ...copy(B, BP),
    ...loopUntil(P, ROWEND, [
      ...get(P), ...LOAD, ...get(MV), ...SUB4, ...get(RV), ...MUL4, ...set(H),
      ...get(XH), ...get(H), ...STORE,
      ...get(Y), ...get(H), ...get(GP), ...LOAD, ...MUL4, ...get(BP), ...LOAD, ...ADD4, ...STORE,
      ...adv(P), ...adv(XH), ...adv(Y), ...adv(GP), ...adv(BP),
    ]),
    ...copy(ROWEND, X),
  ];
  const code = [...get(ROWS), ...get(DIM), ...I32_MUL, ...set(XEND), ...endPtr(X, XEND, XEND), ...loopUntil(X, XEND, row)];
  return func([[5, I32], [2, F32], [4, V128]], code);
}

/**
 * ln_bwd(dy, xhat, rstd, gamma, dgamma, dbeta, dx, rows, dim, invDim): with g = dy·gamma,
 * dx = r·(g − mean(g) − x̂·mean(g·x̂)); adds Σ dy·x̂ into dgamma and Σ dy into dbeta.
 */
function lnBackward(): number[] {
  // params: dy0 xh1 rs2 g3 dg4 db5 dx6 rows7 dim8 invDim9(f32)
  // locals: i32 end10 rowEnd11 p12 q13 gp14 dgp15 dbp16; v128 a1 17, a2 18, d19 h20 gd21 m1 22, m2 23, rv24
  const [DY, XH, RS, G, DG, DB, DX, ROWS, DIM, INV] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const [END, ROWEND, P, Q, GP, DGP, DBP, A1, A2, D, H, GD, M1, M2, RV] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24];
  const row = [
    ...endPtr(DY, DIM, ROWEND),
    ...c4(0), ...set(A1), ...c4(0), ...set(A2),
    ...copy(DY, P), ...copy(XH, Q), ...copy(G, GP), ...copy(DG, DGP), ...copy(DB, DBP),
    ...loopUntil(P, ROWEND, [
      ...get(P), ...LOAD, ...set(D), ...get(Q), ...LOAD, ...set(H),
      ...get(D), ...get(GP), ...LOAD, ...MUL4, ...set(GD),
      ...get(A1), ...get(GD), ...ADD4, ...set(A1),
      ...get(A2), ...get(GD), ...get(H), ...MUL4, ...ADD4, ...set(A2),
      ...get(DGP), ...get(DGP), ...LOAD, ...get(D), ...get(H), ...MUL4, ...ADD4, ...STORE,
      ...get(DBP), ...get(DBP), ...LOAD, ...get(D), ...ADD4, ...STORE,
      ...adv(P), ...adv(Q), ...adv(GP), ...adv(DGP), ...adv(DBP),
    ]),
    ...hsum(A1), ...get(INV), ...F32_MUL, ...SPLAT, ...set(M1),
    ...hsum(A2), ...get(INV), ...F32_MUL, ...SPLAT, ...set(M2),
    ...get(RS), ...F32_LOAD, ...SPLAT, ...set(RV), ...step(RS, 4),
    ...copy(DY, P), ...copy(G, GP),
    ...loopUntil(P, ROWEND, [
      ...get(DX),
      ...get(P), ...LOAD, ...get(GP), ...LOAD, ...MUL4, ...get(M1), ...SUB4, ...get(XH), ...LOAD, ...get(M2), ...MUL4, ...SUB4, ...get(RV), ...MUL4,
      ...STORE,
      ...adv(P), ...adv(GP), ...adv(XH), ...adv(DX),
    ]),
    ...copy(ROWEND, DY),
  ];
  const code = [...get(ROWS), ...get(DIM), ...I32_MUL, ...set(END), ...endPtr(DY, END, END), ...loopUntil(DY, END, row)];
  return func([[7, I32], [8, V128]], code);
}

/**
 * adamw(w, g, m, v, out, n, beta1, beta2, a1, a2, invC2, eps, stepSize, decay), n % 4 = 0:
 * m ← β1·m + a1·g, v ← β2·v + a2·g² (in place), out = w·decay − stepSize·m / (√(v·invC2) + eps).
 */
function adamw(): number[] {
  // params: w0 g1 m2 v3 out4 n5 b1_6 b2_7 a1_8 a2_9 invC2_10 eps11 step12 decay13 (f32 from 6)
  // locals: i32 end14; v128 gj15 mj16 vj17 B1 18 B2 19 A1 20 A2 21 IC 22 EP 23 ST 24 DC 25
  const [W, G, M, V, OUT, N] = [0, 1, 2, 3, 4, 5];
  const END = 14;
  const [GJ, MJ, VJ] = [15, 16, 17];
  const splats = [6, 7, 8, 9, 10, 11, 12, 13].flatMap((p, i) => [...get(p), ...SPLAT, ...set(18 + i)]);
  const [B1, B2, A1, A2, IC, EP, ST, DC] = [18, 19, 20, 21, 22, 23, 24, 25];
  const body = [
    ...get(G), ...LOAD, ...set(GJ),
    ...get(B1), ...get(M), ...LOAD, ...MUL4, ...get(A1), ...get(GJ), ...MUL4, ...ADD4, ...set(MJ),
    ...get(B2), ...get(V), ...LOAD, ...MUL4, ...get(A2), ...get(GJ), ...MUL4, ...get(GJ), ...MUL4, ...ADD4, ...set(VJ),
    ...get(M), ...get(MJ), ...STORE,
    ...get(V), ...get(VJ), ...STORE,
    ...get(OUT),
    ...get(W), ...LOAD, ...get(DC), ...MUL4,
    ...get(ST), ...get(MJ), ...MUL4, ...get(VJ), ...get(IC), ...MUL4, ...SQRT4, ...get(EP), ...ADD4, ...DIV4,
    ...SUB4, ...STORE,
    ...adv(W), ...adv(G), ...adv(M), ...adv(V), ...adv(OUT),
  ];
  return func([[1, I32], [11, V128]], [...splats, ...endPtr(W, N, END), ...loopUntil(W, END, body)]);
}

/**
 * copy_rows(src, dst, rows, bytes, srcStride, dstStride): `rows` times, copy `bytes` bytes from
 * src to dst, then step src and dst by their strides (bytes). Moves attention heads between the
 * `[batch·seq, heads·headDim]` layout of the projections and the `[batch, heads, seq, headDim]`
 * layout of attention.
 */
function copyRows(): number[] {
  // params: src0 dst1 rows2 bytes3 srcStride4 dstStride5; local i32 i6
  const [SRC, DST, ROWS, BYTES, SS, DS, I] = [0, 1, 2, 3, 4, 5, 6];
  const MEMORY_COPY = [0xfc, ...uleb(10), 0x00, 0x00];
  const body = [
    ...get(DST), ...get(SRC), ...get(BYTES), ...MEMORY_COPY,
    ...get(SRC), ...get(SS), ...I32_ADD, ...set(SRC),
    ...get(DST), ...get(DS), ...I32_ADD, ...set(DST),
    ...get(I), ...i32c(1), ...I32_ADD, ...set(I),
  ];
  return func([[1, I32]], [...i32c(0), ...set(I), ...loopUntil(I, ROWS, body)]);
}

/** The module, importing `env.memory` (shared or not, as the backend's memory is). */
export function heapModuleBytes(shared: boolean): Uint8Array<ArrayBuffer> {
  const limits = shared ? [0x03, ...uleb(1), ...uleb(65536)] : [0x00, ...uleb(1)];
  const types = [
    GELU_TYPE,
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [F32], [F32]]), 0],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [I32], [F32]]), 0],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32], [F32], [F32], [F32], [F32], [F32], [F32], [F32], [F32]]), 0],
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I32], [I32]]), 0],
  ];
  const names = ["gelu", "ln_fwd", "ln_bwd", "adamw", "copy_rows"];
  const bytes = [
    ...HEADER,
    ...section(1, vec(types)),
    ...section(2, vec([[...str("env"), ...str("memory"), 0x02, ...limits]])),
    ...section(3, vec([[0], [1], [2], [3], [4]])),
    ...section(7, vec(names.map((n, i) => [...str(n), 0x00, i]))),
    ...section(10, vec([geluFunc(), lnForward(), lnBackward(), adamw(), copyRows()])),
  ];
  return new Uint8Array(bytes);
}

/** The exported kernels; every pointer is a byte offset into the backend's memory. */
export interface HeapKernels {
  gelu(x: number, y: number, d: number, n: number): void;
  ln_fwd(x: number, gamma: number, beta: number, xhat: number, rstd: number, y: number, rows: number, dim: number, invDim: number, eps: number): void;
  ln_bwd(dy: number, xhat: number, rstd: number, gamma: number, dgamma: number, dbeta: number, dx: number, rows: number, dim: number, invDim: number): void;
  adamw(w: number, g: number, m: number, v: number, out: number, n: number, beta1: number, beta2: number, a1: number, a2: number, invC2: number, eps: number, stepSize: number, decay: number): void;
  copy_rows(src: number, dst: number, rows: number, bytes: number, srcStride: number, dstStride: number): void;
}

interface WasmBackendLike {
  wasm: { wasmMemory?: WebAssembly.Memory; asm?: { memory?: WebAssembly.Memory } };
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined };
  makeOutput(shape: number[], dtype: "float32"): tf.TensorInfo;
  typedArrayFromHeap(t: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}

const cache = new WeakMap<WebAssembly.Memory, HeapKernels | null>();

/** The wasm backend and its memory's kernels, or null (another backend, no SIMD, memory not reachable). */
export function heapKernels(): { kernels: HeapKernels; backend: WasmBackendLike } | null {
  if (tf.getBackend() !== "wasm") return null;
  const backend = tf.backend() as unknown as WasmBackendLike;
  const memory = backend.wasm?.wasmMemory ?? backend.wasm?.asm?.memory;
  if (!(memory instanceof WebAssembly.Memory) || typeof backend.makeOutput !== "function" || !backend.dataIdMap) return null;
  let kernels = cache.get(memory);
  if (kernels === undefined) {
    try {
      const bytes = heapModuleBytes(memory.buffer instanceof SharedArrayBuffer);
      kernels = WebAssembly.validate(bytes) ? (new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports as unknown as HeapKernels) : null;
    } catch {
      kernels = null;
    }
    cache.set(memory, kernels);
  }
  return kernels === null ? null : { kernels, backend };
}

/** Byte offset of a wasm-backend tensor's data. */
export function offsetOf(backend: WasmBackendLike, t: tf.TensorInfo): number {
  const entry = backend.dataIdMap.get(t.dataId);
  if (!entry) throw new Error("internal: tensor is not in the wasm backend's memory");
  return entry.memoryOffset;
}
