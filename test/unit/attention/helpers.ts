import * as tf from "@tensorflow/tfjs";
import { makeRng } from "../../../kernel-lib/src/util";

/** Use the cpu backend (or ATTENTION_TEST_BACKEND) once per test file. */
export async function useBackend(): Promise<string> {
  const name = process.env.ATTENTION_TEST_BACKEND ?? "cpu";
  if (name === "wasm") await import("@tensorflow/tfjs-backend-wasm");
  const ok = await tf.setBackend(name);
  await tf.ready();
  if (!ok || tf.getBackend() !== name) throw new Error(`backend ${name} did not start (got ${tf.getBackend()})`);
  return tf.getBackend();
}

/** A seeded standard-normal tensor. */
export function randn(shape: number[], seed: number): tf.Tensor {
  const rng = makeRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => rng.normal()),
    shape,
  );
}

/** Largest absolute difference between two tensors (same shape required). */
export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor | number[]): number {
  const x = a.dataSync();
  const y = Array.isArray(b) ? b : Array.from(b.dataSync());
  if (!Array.isArray(b) && a.shape.join() !== b.shape.join()) throw new Error(`shapes differ: ${a.shape} vs ${b.shape}`);
  if (x.length !== y.length) throw new Error(`sizes differ: ${x.length} vs ${y.length}`);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - y[i]));
  return m;
}
