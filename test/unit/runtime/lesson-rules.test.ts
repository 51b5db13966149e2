/**
 * Every lesson's parameter rules accept its own presets in every mode, and stop a bad value in
 * the resolve cell with a message that names the field, its value and what is allowed.
 */
import { describe, expect, it } from "vitest";
import { ATTENTION_PARAMS } from "../../../kernel-lib/src/lessons/03-attention/params";
import { BOW_PARAMS } from "../../../kernel-lib/src/lessons/01-bag-of-words/params";
import { GPT_PARAMS, gptPresetsFor } from "../../../kernel-lib/src/lessons/04-mini-gpt/lesson";
import { PT_PARAMS } from "../../../kernel-lib/src/lessons/06-post-training/params";
import { LESSON_PARAMS } from "../../../kernel-lib/src/lessons/params";
import { TOKENS_PARAMS } from "../../../kernel-lib/src/lessons/00-tokens/params";
import { WORD2VEC_PARAMS } from "../../../kernel-lib/src/lessons/02-word2vec/params";
import { MODES, type Mode, ParamValueError, resolveParams } from "../../../kernel-lib/src/runtime/params";

/** Each lesson's name and its defaults resolved in a mode under its declaration. */
const lessons: [string, (mode: Mode) => unknown][] = [
  ...Object.entries(LESSON_PARAMS).map(([name, decl]): [string, (mode: Mode) => unknown] => [name, (mode) => resolveParams(mode, {}, decl, { print: false })]),
  ['04-mini-gpt, shape "gpu"', (mode) => resolveParams(mode, { shape: "gpu" }, GPT_PARAMS, { print: false })],
  ["04-mini-gpt, full mode on a GPU", (mode) => resolveParams(mode, {}, GPT_PARAMS, { print: false, context: { backend: "webgpu", gpu: true } })],
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
    const e = thrown(() => resolveParams("fast", { vocabSize: 100 }, TOKENS_PARAMS, { print: false }));
    expect(e.field).toBe("vocabSize");
    expect(e.message).toContain("vocabSize = 100");
    expect(e.message).toContain("≥ 257");
  });

  it("a value that is not one of the allowed ones is named", () => {
    const e = thrown(() => resolveParams("fast", { task: "genre" as "era" }, BOW_PARAMS, { print: false }));
    expect(e.message).toMatch(/task = "genre".*"era", "party"/);
  });

  it("heads that do not split the width evenly are caught across fields", () => {
    const e = thrown(() => resolveParams("fast", { nHead: 3 }, ATTENTION_PARAMS.presets(), { print: false }, ATTENTION_PARAMS.rules));
    expect(e.message).toContain("dModel must be a multiple of nHead");
    expect(e.message).toContain("nHead = 3");
  });

  it("a model shape that does not exist is named with the ones that do", () => {
    const e = thrown(() => resolveParams("fast", { shape: "big" as "cpu" }, GPT_PARAMS, { print: false }));
    expect(e.message).toMatch(/shape = "big".*"cpu", "gpu"/);
  });

  it("the high-rate DPO run must have the higher rate", () => {
    const e = thrown(() => resolveParams("fast", { dpoHotLr: 1e-6 }, PT_PARAMS, { print: false }));
    expect(e.message).toContain("dpoHotLr must be higher than dpoLr");
    expect(thrown(() => resolveParams("fast", { rlGroup: 1 }, PT_PARAMS, { print: false })).message).toContain("rlGroup = 1");
  });

  it("the old presets-and-rules form still resolves a lesson the way its declaration does", () => {
    for (const m of MODES) {
      expect(resolveParams(m, {}, gptPresetsFor(null, { backend: "wasm", gpu: false }), { print: false }, GPT_PARAMS.rules)).toEqual(
        resolveParams(m, {}, GPT_PARAMS, { print: false }),
      );
    }
  });

  it("a fractional count is not a whole number", () => {
    const e = thrown(() => resolveParams("fast", { epochs: 2.5 }, WORD2VEC_PARAMS, { print: false }));
    expect(e.message).toContain("a whole number");
  });
});
