/**
 * A lesson's declared range and the library's own safety checks agree: every value a declaration
 * lets through (the command line and the resolve cell stop the others) is one the library accepts,
 * so a run the CLI starts never fails later in the kernel on a bound checked elsewhere.
 */
import { describe, expect, it } from "vitest";
import { makeConfig } from "../../../kernel-lib/src/gpt/config";
import { resolveTrainConfig } from "../../../kernel-lib/src/gpt/train";
import { WORD2VEC_PARAMS } from "../../../kernel-lib/src/lessons/02-word2vec/params";
import { GPT_PARAMS } from "../../../kernel-lib/src/lessons/04-mini-gpt/lesson";
import type { FieldRule } from "../../../kernel-lib/src/runtime/params";
import { resolveSkipGramOptions } from "../../../kernel-lib/src/word2vec/options";

/** The smallest and largest values a field's rule allows (a large stand-in where it has no upper bound). */
function extremes(rule: FieldRule): number[] {
  const low = rule.min ?? (rule.positive ? (rule.type === "integer" ? 1 : 1e-9) : 0);
  return [low, rule.max ?? 1e6];
}

describe("lesson ranges lie within the library's checks", () => {
  it("04: the Trainer takes every learning rate, step count, batch and eval interval the lesson allows", () => {
    const f = GPT_PARAMS.rules.fields!;
    for (const learningRate of extremes(f.learningRate!)) {
      for (const maxIters of extremes(f.maxIters!)) {
        expect(() => resolveTrainConfig({ learningRate, maxIters, batchSize: 1, evalInterval: 1, seed: 1 })).not.toThrow();
      }
    }
    expect(f.learningRate!.max).toBe(10); // the Trainer's own bound: learningRate ≤ 10
    expect(() => resolveTrainConfig({ learningRate: 10.5, maxIters: 1, batchSize: 1, evalInterval: 1, seed: 1 })).toThrow(
      /learningRate must be a number > 0 \(and ≤ 10\)/,
    );
  });

  it("04: the model takes every dropout the lesson allows", () => {
    for (const dropout of extremes(GPT_PARAMS.rules.fields!.dropout!)) {
      expect(() => makeConfig({ vocabSize: 8, nLayer: 1, nHead: 2, nKvHead: 2, nEmbd: 8, blockSize: 4, dropout })).not.toThrow();
    }
  });

  it("02: skip-gram takes every size, window, sample and count the lesson allows", () => {
    const f = WORD2VEC_PARAMS.rules.fields!;
    for (const name of ["dim", "epochs", "threads", "window", "negative", "sample", "minCount"] as const) {
      for (const v of extremes(f[name]!)) expect(() => resolveSkipGramOptions({ [name]: v }), `${name} = ${v}`).not.toThrow();
    }
  });
});
