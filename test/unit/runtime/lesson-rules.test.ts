/**
 * Every lesson's parameter rules accept its own presets in every mode, and stop a bad value in
 * the resolve cell with a message that names the field, its value and what is allowed.
 */
import { describe, expect, it } from "vitest";
import { MODES, ParamValueError, resolveParams, type Mode, type ParamRules, type Presets } from "../../../kernel-lib/src/runtime/params";
import { SETUP_PRESETS, SETUP_RULES } from "../../../kernel-lib/src/lessons/00-setup/corpus-tour";
import { TOKENS_PRESETS, TOKENS_RULES } from "../../../kernel-lib/src/lessons/00-tokens-and-probability/lesson";
import { BOW_PRESETS, BOW_RULES } from "../../../kernel-lib/src/lessons/01-bag-of-words/params";
import { WORD2VEC_PRESETS, WORD2VEC_RULES } from "../../../kernel-lib/src/lessons/02-word2vec/params";
import { ATTENTION_PRESETS, ATTENTION_RULES } from "../../../kernel-lib/src/lessons/03-attention/params";
import { SCALING_PRESETS, SCALING_RULES } from "../../../kernel-lib/src/lessons/05-scaling-laws/presets";
import { GPT_PRESETS, GPT_RULES, gptPresetsFor } from "../../../kernel-lib/src/lessons/04-mini-gpt/lesson";
import { PT_PRESETS, PT_RULES } from "../../../kernel-lib/src/lessons/06-post-training/lesson";

/** A lesson's name and its presets resolved in a mode under its rules. */
const lesson = <P extends object>(name: string, presets: Presets<P>, rules: ParamRules<P>): [string, (mode: Mode) => unknown] => [
  name,
  (mode) => resolveParams(mode, {}, presets, { print: false }, rules),
];

const lessons = [
  lesson("00-setup", SETUP_PRESETS, SETUP_RULES),
  lesson("00-tokens-and-probability", TOKENS_PRESETS, TOKENS_RULES),
  lesson("01-bag-of-words", BOW_PRESETS, BOW_RULES),
  lesson("02-word2vec", WORD2VEC_PRESETS, WORD2VEC_RULES),
  lesson("03-attention", ATTENTION_PRESETS, ATTENTION_RULES),
  lesson("04-mini-gpt", GPT_PRESETS, GPT_RULES),
  lesson('04-mini-gpt, shape "gpu"', gptPresetsFor("gpu", { backend: "wasm", gpu: false }), GPT_RULES),
  lesson("05-scaling-laws", SCALING_PRESETS, SCALING_RULES),
  lesson("06-post-training", PT_PRESETS, PT_RULES),
];

function thrown(f: () => unknown): ParamValueError {
  try {
    f();
  } catch (e) {
    if (e instanceof ParamValueError) return e;
    throw e;
  }
  throw new Error("expected a ParamValueError");
}

describe("lesson parameter rules", () => {
  for (const [name, resolve] of lessons) {
    it(`${name}: every mode's presets pass the rules`, () => {
      for (const mode of MODES) expect(() => resolve(mode)).not.toThrow();
    });
  }

  it("a value outside its range stops with the field, the value and what is allowed", () => {
    const e = thrown(() => resolveParams("fast", { vocabSize: 100 }, TOKENS_PRESETS, { print: false }, TOKENS_RULES));
    expect(e.field).toBe("vocabSize");
    expect(e.message).toContain("vocabSize = 100");
    expect(e.message).toContain("≥ 257");
  });

  it("a value that is not one of the allowed ones is named", () => {
    const e = thrown(() => resolveParams("fast", { task: "genre" }, BOW_PRESETS, { print: false }, BOW_RULES));
    expect(e.message).toMatch(/task = "genre".*"era", "party"/);
  });

  it("heads that do not split the width evenly are caught across fields", () => {
    const e = thrown(() => resolveParams("fast", { nHead: 3 }, ATTENTION_PRESETS, { print: false }, ATTENTION_RULES));
    expect(e.message).toContain("dModel must be a multiple of nHead");
    expect(e.message).toContain("nHead = 3");
  });

  it("a model shape that does not exist is named with the ones that do", () => {
    const e = thrown(() => resolveParams("fast", { shape: "big" }, gptPresetsFor("big", { backend: "wasm", gpu: false }), { print: false }, GPT_RULES));
    expect(e.message).toMatch(/shape = "big".*"cpu", "gpu"/);
  });

  it("the high-rate DPO run must have the higher rate", () => {
    const e = thrown(() => resolveParams("fast", { dpoHotLr: 1e-6 }, PT_PRESETS, { print: false }, PT_RULES));
    expect(e.message).toContain("dpoHotLr must be higher than dpoLr");
    expect(thrown(() => resolveParams("fast", { rlGroup: 1 }, PT_PRESETS, { print: false }, PT_RULES)).message).toContain("rlGroup = 1");
  });

  it("a fractional count is not a whole number", () => {
    const e = thrown(() => resolveParams("fast", { epochs: 2.5 }, WORD2VEC_PRESETS, { print: false }, WORD2VEC_RULES));
    expect(e.message).toContain("a whole number");
  });
});
