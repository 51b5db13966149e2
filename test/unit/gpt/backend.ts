import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";

/** Tests run on the wasm backend, the default here (the one the lessons train on). */
export async function useWasm(): Promise<void> {
  if (tf.getBackend() !== "wasm") await tf.setBackend("wasm");
  await tf.ready();
}

/** A small deterministic text with some structure for a model to learn. */
export function tinyText(repeats = 60): string {
  const lines = ["the cat sat on the mat.", "a dog ate the bone!", "we hold these truths.", "the people of the union."];
  let s = "";
  for (let i = 0; i < repeats; i++) s += lines[(i * 7) % lines.length] + "\n";
  return s;
}
