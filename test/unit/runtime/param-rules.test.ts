import { describe, expect, it } from "vitest";
import { ParamValueError, fieldProblem, multipleOf, resolveParams, type ParamRules } from "../../../kernel-lib/src/runtime/params";

interface GptLike {
  nLayer: number;
  nHead: number;
  nEmbd: number;
  lr: number;
  dataset: string;
  dropout: number;
  nKvHead: number | null;
}

const presets: Record<"fast" | "workshop" | "full", GptLike> = {
  fast: { nLayer: 2, nHead: 4, nEmbd: 64, lr: 3e-3, dataset: "sotu", dropout: 0, nKvHead: null },
  workshop: { nLayer: 4, nHead: 4, nEmbd: 128, lr: 1e-3, dataset: "sotu", dropout: 0, nKvHead: null },
  full: { nLayer: 4, nHead: 4, nEmbd: 128, lr: 1e-3, dataset: "sotu", dropout: 0.1, nKvHead: null },
};

const rules: ParamRules<GptLike> = {
  fields: {
    nLayer: { type: "integer", min: 1, max: 12 },
    nHead: { type: "integer", positive: true },
    lr: { type: "number", positive: true, max: 1 },
    dataset: { check: (v) => (v === "sotu" || v === "brown" || String(v).endsWith(".txt") ? null : '"sotu", "brown" or a path to a .txt file') },
    dropout: { type: "number", min: 0, max: 0.9 },
    nKvHead: { type: "integer", positive: true, nullable: true },
  },
  checks: [{ fields: ["nEmbd", "nHead"], test: (p) => p.nEmbd % p.nHead === 0, message: "nEmbd must be a multiple of nHead" }],
};

const run = (given: Partial<Record<keyof GptLike, unknown>>, mode = "fast") => resolveParams(mode, given as Partial<GptLike>, presets, { print: false }, rules);

function errorOf(f: () => unknown): ParamValueError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ParamValueError);
    return e as ParamValueError;
  }
  throw new Error("expected a ParamValueError");
}

describe("resolveParams with rules", () => {
  it("accepts the presets and valid values", () => {
    expect(run({}).nLayer).toBe(2);
    expect(run({ nLayer: 6, lr: 0.01, nKvHead: 2, dataset: "my.txt" }, "full")).toMatchObject({ nLayer: 6, nKvHead: 2, dropout: 0.1 });
  });

  it("names the field, its value and what is allowed", () => {
    const e = errorOf(() => run({ nLayer: 2.5 }));
    expect(e.message).toBe("parameter nLayer = 2.5 is not allowed: it must be a whole number, ≥ 1, ≤ 12");
    expect([e.field, e.value]).toEqual(["nLayer", 2.5]);
    expect(errorOf(() => run({ nLayer: 40 })).message).toMatch(/nLayer = 40 .* ≤ 12/);
    expect(errorOf(() => run({ lr: -1 })).message).toMatch(/lr = -1 .*must be a number, > 0, ≤ 1/);
    expect(errorOf(() => run({ dropout: 0.95 })).message).toMatch(/dropout = 0.95/);
    expect(errorOf(() => run({ dataset: "wiki" })).message).toBe(
      'parameter dataset = "wiki" is not allowed: it must be "sotu", "brown" or a path to a .txt file',
    );
    expect(errorOf(() => run({ nKvHead: 0 })).message).toMatch(/nKvHead = 0 .*a whole number, > 0, or null/);
  });

  it("checks conditions across fields, naming every value involved", () => {
    const e = errorOf(() => run({ nHead: 3 }));
    expect(e.message).toBe("parameters nEmbd = 64, nHead = 3 are not allowed together: nEmbd must be a multiple of nHead");
  });

  it("multipleOf builds the usual divisibility check", () => {
    const r: ParamRules<GptLike> = { checks: [multipleOf("nEmbd", "nHead")] };
    expect(() => resolveParams("fast", { nHead: 3 }, presets, { print: false }, r)).toThrow(
      "parameters nEmbd = 64, nHead = 3 are not allowed together: nEmbd must be a multiple of nHead",
    );
    expect(resolveParams("fast", { nHead: 8 }, presets, { print: false }, r).nHead).toBe(8);
  });

  it("says when a bad value came from the preset", () => {
    const strict: ParamRules<GptLike> = { fields: { dropout: { max: 0.05 } } };
    expect(() => resolveParams("full", {}, presets, { print: false }, strict)).toThrow('dropout = 0.1 (from the "full" preset) is not allowed');
  });

  it("rejects a value whose type differs from the presets', even without rules", () => {
    expect(() => resolveParams("fast", { nLayer: "4" as unknown as number }, presets, { print: false })).toThrow(
      'parameter nLayer = "4" is a string; it must be a number (like the presets\' 2)',
    );
    expect(() => resolveParams("fast", { dataset: 3 as unknown as string }, presets, { print: false })).toThrow(/dataset = 3 is a number; it must be a string/);
    // A preset of null (in every mode) allows any type.
    expect(resolveParams("fast", { nKvHead: 2 }, presets, { print: false }).nKvHead).toBe(2);
  });

  it("oneOf lists the allowed values", () => {
    expect(fieldProblem("adam", { oneOf: ["sgd", "adamw"] })).toBe('one of "sgd", "adamw"');
    expect(fieldProblem("sgd", { oneOf: ["sgd", "adamw"] })).toBeNull();
    expect(fieldProblem(true, { type: "boolean" })).toBeNull();
    expect(fieldProblem("x", { type: "boolean" })).toBe("a boolean");
  });
});
