/**
 * The safetensors file layout (Hugging Face): an 8-byte little-endian header length N, N bytes of
 * JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, "__metadata__": { key: "string" } }`,
 * then the raw little-endian tensor bytes. No code runs when such a file is read (unlike a Python
 * pickle), which is why model hubs adopted it. This is "the parameters file" of a model.
 */

/** The dtypes this module reads and writes. */
export type SafeDtype = "F32" | "F16" | "I32";

/** One tensor in a safetensors file. */
export interface SafeTensor {
  dtype: SafeDtype;
  shape: number[];
  /** Values as float32 (F16 is widened on read) or int32. */
  data: Float32Array | Int32Array;
}

const BYTES: Record<SafeDtype, number> = { F32: 4, F16: 2, I32: 4 };

/** float32 → IEEE half (round to nearest even), as a 16-bit pattern. */
export function float32ToFloat16Bits(value: number): number {
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  f[0] = value;
  const x = u[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // Inf / NaN
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow → Inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow → ±0
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && half & 1)) half++;
    return sign | half;
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}

/** IEEE half bit pattern → number. */
export function float16BitsToFloat32(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** Serialise named tensors (written in the given order) plus string metadata to one buffer. */
export function encodeSafetensors(tensors: Record<string, SafeTensor>, metadata: Record<string, string> = {}): Buffer {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const names = Object.keys(tensors);
  for (const name of names) {
    const t = tensors[name];
    const count = t.shape.reduce((a, d) => a * d, 1);
    if (count !== t.data.length) throw new RangeError(`tensor "${name}": shape [${t.shape}] holds ${count} values but data has ${t.data.length}`);
    const bytes = count * BYTES[t.dtype];
    header[name] = { dtype: t.dtype, shape: t.shape, data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  while ((8 + Buffer.byteLength(json)) % 8 !== 0) json += " "; // the spec pads the header to 8 bytes
  const headerBytes = Buffer.from(json, "utf8");
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const t = tensors[name];
    if (t.dtype === "F32") for (let i = 0; i < t.data.length; i++, pos += 4) out.writeFloatLE(t.data[i], pos);
    else if (t.dtype === "I32") for (let i = 0; i < t.data.length; i++, pos += 4) out.writeInt32LE(t.data[i], pos);
    else for (let i = 0; i < t.data.length; i++, pos += 2) out.writeUInt16LE(float32ToFloat16Bits(t.data[i]), pos);
  }
  return out;
}

/** A decoded file: tensors by name (in file order) and the metadata. */
export interface SafetensorsFile {
  tensors: Map<string, SafeTensor>;
  metadata: Record<string, string>;
}

/**
 * Parse a safetensors buffer, checking everything a damaged file could get wrong (header length,
 * JSON, dtypes, offsets inside the file and matching the shapes). `what` names the file in errors.
 */
export function decodeSafetensors(buf: Uint8Array, what = "buffer"): SafetensorsFile {
  const bad = (why: string): never => {
    throw new Error(`${what} is not a valid safetensors file: ${why}`);
  };
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  if (b.length < 8) bad(`only ${b.length} bytes long`);
  const n = Number(b.readBigUInt64LE(0));
  if (n < 2 || 8 + n > b.length) bad(`header length ${n} does not fit in ${b.length} bytes`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(b.subarray(8, 8 + n).toString("utf8"));
  } catch (e) {
    return bad(`header is not JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) bad("header is not a JSON object");
  const dataStart = 8 + n;
  const dataLen = b.length - dataStart;
  const metadata = (header.__metadata__ ?? {}) as Record<string, string>;
  const tensors = new Map<string, SafeTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__") continue;
    const e = entry as { dtype?: string; shape?: number[]; data_offsets?: number[] };
    if (!e || !["F32", "F16", "I32"].includes(e.dtype ?? "")) bad(`tensor "${name}" has unsupported dtype ${JSON.stringify(e?.dtype)}`);
    const dtype = e.dtype as SafeDtype;
    if (!Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`tensor "${name}" has a bad shape`);
    const [begin, end] = e.data_offsets ?? [];
    if (!Number.isInteger(begin) || !Number.isInteger(end) || begin < 0 || end < begin || end > dataLen) {
      bad(`tensor "${name}" has data_offsets ${JSON.stringify(e.data_offsets)} outside the ${dataLen} data bytes (truncated file?)`);
    }
    const count = e.shape!.reduce((a, d) => a * d, 1);
    if (end - begin !== count * BYTES[dtype])
      bad(`tensor "${name}" of shape [${e.shape}] needs ${count * BYTES[dtype]} bytes, its offsets span ${end - begin}`);
    const at = dataStart + begin;
    let data: Float32Array | Int32Array;
    if (dtype === "F32") {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = b.readFloatLE(at + 4 * i);
    } else if (dtype === "I32") {
      data = new Int32Array(count);
      for (let i = 0; i < count; i++) data[i] = b.readInt32LE(at + 4 * i);
    } else {
      data = new Float32Array(count);
      for (let i = 0; i < count; i++) data[i] = float16BitsToFloat32(b.readUInt16LE(at + 2 * i));
    }
    tensors.set(name, { dtype, shape: e.shape!, data });
  }
  return { tensors, metadata };
}
