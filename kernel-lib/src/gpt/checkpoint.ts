/**
 * Saving and loading a GPT.
 *
 * - `exportWeights` / `importWeights`: the model alone as one safetensors file in PyTorch's
 *   layout (a Linear weight is `[out, in]`), with the config and the character vocabulary in
 *   the metadata — "the parameters file" that, with the code of `Gpt`, *is* the model.
 * - `saveCheckpoint` / `loadCheckpoint`: everything needed to continue training exactly where it
 *   stopped (weights, AdamW moments, step, random-stream state, loss history), written to a
 *   temporary file and renamed into place, so a crash mid-write never leaves a half file under
 *   the real name. A SHA-256 of the data section catches corruption.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { GptConfig, makeConfig } from "./config";
import { tokenizerFromJson, TokenizerJson, tokenizerToJson } from "./data";
import type { Tokenizer } from "../text";
import { createGpt, Gpt } from "./model";
import { decodeSafetensors, encodeSafetensors, SafeDtype, SafeTensor } from "./safetensors";
import { TrainConfig, Trainer, TrainerState } from "./train";

const WEIGHTS_FORMAT = "llm-lessons-gpt";
const CHECKPOINT_FORMAT = "llm-lessons-gpt-checkpoint";

/** Linear weights are stored `[in, out]` here and `[out, in]` in PyTorch. */
function isLinearWeight(name: string): boolean {
  return /(c_attn|c_proj|c_fc|c_up)\.weight$|^lm_head\.weight$/.test(name);
}

function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}

/** Write `buf` to `file` atomically: a temp file in the same folder, then rename. */
export function writeFileAtomic(file: string, buf: Uint8Array): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    fs.writeFileSync(tmp, buf);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

function readFile(file: string): Buffer {
  if (!fs.existsSync(file)) throw new Error(`no such file: ${file}`);
  return fs.readFileSync(file);
}

/** The model's tensors by name, in PyTorch layout ("torch") or as stored here ("native"). */
function modelTensors(model: Gpt, layout: "torch" | "native", dtype: SafeDtype): Record<string, SafeTensor> {
  const out: Record<string, SafeTensor> = {};
  for (const p of model.params) {
    let data = p.variable.dataSync() as Float32Array;
    let shape = [...p.variable.shape];
    if (layout === "torch" && isLinearWeight(p.name)) {
      data = transpose2d(data, shape[0], shape[1]);
      shape = [shape[1], shape[0]];
    }
    out[p.name] = { dtype, shape, data: Float32Array.from(data) };
  }
  return out;
}

function assignTensors(model: Gpt, tensors: Map<string, SafeTensor>, layout: "torch" | "native", what: string): void {
  const expected = new Set(model.params.map((p) => p.name));
  const missing = [...expected].filter((n) => !tensors.has(n));
  if (missing.length > 0) throw new Error(`${what} does not match the model: missing ${missing.slice(0, 5).join(", ")}${missing.length > 5 ? ", …" : ""}`);
  for (const p of model.params) {
    const t = tensors.get(p.name)!;
    let shape = [...p.variable.shape];
    const torchShape = layout === "torch" && isLinearWeight(p.name) ? [shape[1], shape[0]] : shape;
    if (t.shape.join(",") !== torchShape.join(",")) {
      throw new Error(`${what}: tensor "${p.name}" has shape [${t.shape}], the model needs [${torchShape}]`);
    }
    let data = t.data as Float32Array;
    if (layout === "torch" && isLinearWeight(p.name)) data = transpose2d(data, t.shape[0], t.shape[1]);
    for (let i = 0; i < data.length; i++) {
      if (!Number.isFinite(data[i])) throw new Error(`${what}: tensor "${p.name}" holds a non-finite value at index ${i}`);
    }
    shape = [...p.variable.shape];
    tf.tidy(() => p.variable.assign(tf.tensor(data, shape)));
  }
}

function parseJson<T>(text: string | undefined, field: string, what: string): T {
  if (text === undefined) throw new Error(`${what} has no "${field}" in its metadata`);
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new Error(`${what}: metadata "${field}" is not valid JSON`);
  }
}

function readTokenizer(metadata: Record<string, string>, what: string): Tokenizer | undefined {
  if (metadata.tokenizer === undefined) return undefined;
  try {
    return tokenizerFromJson(parseJson<TokenizerJson>(metadata.tokenizer, "tokenizer", what));
  } catch (e) {
    throw new Error(`${what}: its tokenizer cannot be rebuilt (${(e as Error).message})`);
  }
}

/** Options of `exportWeights`. */
export interface ExportOptions {
  /** "F32" (exact) or "F16" (half the bytes; what LLMs ship in). Default "F32". */
  dtype?: "F32" | "F16";
  /** Tokenizer to store with the weights (so the file alone can generate text). */
  tokenizer?: Tokenizer;
}

/**
 * Write the model's weights as one safetensors file; returns its size in bytes
 * (≈ parameters × bytes per parameter, plus a small JSON header).
 */
export function exportWeights(model: Gpt, file: string, options: ExportOptions = {}): number {
  const dtype = options.dtype ?? "F32";
  const metadata: Record<string, string> = { format: WEIGHTS_FORMAT, config: JSON.stringify(model.config) };
  if (options.tokenizer) metadata.tokenizer = JSON.stringify(tokenizerToJson(options.tokenizer));
  const buf = encodeSafetensors(modelTensors(model, "torch", dtype), metadata);
  writeFileAtomic(file, buf);
  return buf.length;
}

/** Load a file written by `exportWeights`: a new model built from its config, and its vocabulary. */
export function importWeights(file: string): { model: Gpt; tokenizer?: Tokenizer } {
  const what = `weights file ${file}`;
  const { tensors, metadata } = decodeSafetensors(readFile(file), what);
  if (metadata.format !== WEIGHTS_FORMAT) throw new Error(`${what} has format ${JSON.stringify(metadata.format)}, expected "${WEIGHTS_FORMAT}"`);
  const config = makeConfig(parseJson<GptConfig>(metadata.config, "config", what));
  const model = createGpt(config);
  try {
    assignTensors(model, tensors, "torch", what);
  } catch (e) {
    model.dispose();
    throw e;
  }
  return { model, tokenizer: readTokenizer(metadata, what) };
}

/** Save the whole training state of `trainer` to `file` (atomically). Returns the byte size. */
export function saveCheckpoint(trainer: Trainer, file: string, extra: { tokenizer?: Tokenizer } = {}): number {
  const tensors = modelTensors(trainer.model, "native", "F32");
  for (const s of trainer.optimizer.state()) {
    tensors[`optimizer.${s.name}`] = { dtype: "F32", shape: [...s.tensor.shape], data: Float32Array.from(s.tensor.dataSync() as Float32Array) };
  }
  const body = encodeSafetensors(tensors, {});
  const hash = createHash("sha256")
    .update(body.subarray(8 + Number(body.readBigUInt64LE(0))))
    .digest("hex");
  const metadata: Record<string, string> = {
    format: CHECKPOINT_FORMAT,
    config: JSON.stringify(trainer.model.config),
    train: JSON.stringify(trainer.config),
    state: JSON.stringify(trainer.getState()),
    sha256: hash,
  };
  if (extra.tokenizer) metadata.tokenizer = JSON.stringify(tokenizerToJson(extra.tokenizer));
  const buf = encodeSafetensors(tensors, metadata);
  writeFileAtomic(file, buf);
  return buf.length;
}

/** What `loadCheckpoint` returns. */
export interface LoadedCheckpoint {
  trainer: Trainer;
  tokenizer?: Tokenizer;
}

/**
 * Rebuild a `Trainer` from `file` on `data`, ready to `run()` on from the saved step. Throws a
 * clear error when the file is damaged, is not a checkpoint, or does not fit `expect` (a config
 * the caller requires, e.g. the notebook's current hyperparameters) or the data's vocabulary.
 */
export function loadCheckpoint(
  file: string,
  data: { train: Int32Array; val: Int32Array },
  expect: { config?: Partial<GptConfig>; vocabSize?: number } = {},
): LoadedCheckpoint {
  const what = `checkpoint ${file}`;
  const buf = readFile(file);
  const { tensors, metadata } = decodeSafetensors(buf, what);
  if (metadata.format !== CHECKPOINT_FORMAT) throw new Error(`${what} has format ${JSON.stringify(metadata.format)}, expected "${CHECKPOINT_FORMAT}"`);
  const headerLen = Number(buf.readBigUInt64LE(0));
  const hash = createHash("sha256")
    .update(buf.subarray(8 + headerLen))
    .digest("hex");
  if (hash !== metadata.sha256) throw new Error(`${what} is corrupt: the SHA-256 of its data does not match the one recorded when it was saved`);
  const config = makeConfig(parseJson<GptConfig>(metadata.config, "config", what));
  for (const [key, value] of Object.entries(expect.config ?? {})) {
    const saved = (config as unknown as Record<string, unknown>)[key];
    if (value !== undefined && saved !== value) {
      throw new Error(`${what} does not match: it was saved with ${key}=${JSON.stringify(saved)}, but ${JSON.stringify(value)} was requested`);
    }
  }
  const vocabSize = expect.vocabSize;
  if (vocabSize !== undefined && vocabSize !== config.vocabSize) {
    throw new Error(`${what} does not match the data: it has vocabSize=${config.vocabSize}, the data's tokenizer has ${vocabSize}`);
  }
  const trainConfig = parseJson<TrainConfig>(metadata.train, "train", what);
  const state = parseJson<TrainerState>(metadata.state, "state", what);
  const model = createGpt(config);
  let trainer: Trainer | undefined;
  try {
    assignTensors(model, tensors, "native", what);
    trainer = new Trainer(model, data, trainConfig);
    for (const s of trainer.optimizer.state()) {
      const t = tensors.get(`optimizer.${s.name}`);
      if (!t || t.shape.join(",") !== s.tensor.shape.join(",")) throw new Error(`${what}: optimizer state "${s.name}" is missing or has the wrong shape`);
      tf.tidy(() => s.tensor.assign(tf.tensor(t.data, s.tensor.shape)));
    }
    trainer.setState(state);
  } catch (e) {
    trainer?.dispose();
    model.dispose();
    throw e;
  }
  return { trainer, tokenizer: readTokenizer(metadata, what) };
}
