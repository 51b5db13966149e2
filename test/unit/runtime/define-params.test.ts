/**
 * defineParams: one declaration per parameter, from which the presets, the rules, the check of a
 * single `-p` value, the cell comments and the help table are derived.
 */
import { describe, expect, it, vi } from "vitest";
import { type DefaultContext, defineParams, multipleOf, ParamValueError, resolveParams } from "../../../kernel-lib/src/runtime/params";

const DEMO = defineParams(
  {
    seed: { type: "integer", default: 1, help: "random seed" },
    size: {
      type: "string",
      oneOf: ["small", "big"],
      default: (c: DefaultContext<{ gpu: boolean }>) => (c.mode === "full" && c.context?.gpu ? "big" : "small"),
      defaultText: '"big" in full mode on a GPU, else "small"',
      help: "model size",
    },
    width: {
      type: "integer",
      min: 4,
      max: 1024,
      default: (c: DefaultContext) => (c.params.size === "big" ? 512 : 64),
      defaultText: "64; size big: 512",
      help: "width",
    },
    heads: { type: "integer", min: 1, default: { fast: 2, workshop: 4, full: 4 }, help: "attention heads" },
    lr: { type: "number", positive: true, max: 10, default: { fast: 3e-3, workshop: 3e-3, full: 6e-4 }, help: "peak learning rate" },
    keep: { type: "integer", min: 1, nullable: true, default: { fast: 100, workshop: 100, full: null }, help: "words kept" },
    window: { type: "integer", min: 1, default: 5, fixed: true, help: "context window" },
  },
  { checks: [multipleOf("width", "heads")] },
);

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("defineParams: derived presets and rules", () => {
  it("splits notebook parameters from fixed settings, in declaration order", () => {
    expect(DEMO.names).toEqual(["seed", "size", "width", "heads", "lr", "keep"]);
    expect(DEMO.fixedNames).toEqual(["window"]);
  });

  it("derives each mode's preset: single values, per-mode values and computed ones", () => {
    const p = DEMO.presets();
    expect(p.fast).toEqual({ seed: 1, size: "small", width: 64, heads: 2, lr: 3e-3, keep: 100, window: 5 });
    expect(p.full).toEqual({ seed: 1, size: "small", width: 64, heads: 4, lr: 6e-4, keep: null, window: 5 });
    expect(DEMO.presets({ context: { gpu: true } }).full.size).toBe("big");
    expect(DEMO.presets({ context: { gpu: true } }).full.width).toBe(512);
    // a given value feeds the computed defaults after it
    expect(DEMO.presets({ given: { size: "big" } }).fast.width).toBe(512);
  });

  it("derives the rules: the spec without default, help and the fixed flag", () => {
    expect(DEMO.rules.fields?.lr).toEqual({ type: "number", positive: true, max: 10 });
    expect(DEMO.rules.checks?.map((c) => c.message)).toEqual(["width must be a multiple of heads"]);
  });

  it("refuses a computed default without words for the help, and checks naming undeclared fields", () => {
    expect(() => defineParams({ a: { type: "integer", default: () => 1, help: "a" } })).toThrow(/a: a computed default needs a defaultText/);
    expect(() =>
      defineParams({ a: { type: "integer", default: 1, help: "a" } }, { checks: [{ fields: ["b" as "a"], test: () => true, message: "m" }] }),
    ).toThrow(/undeclared field b/);
  });
});

describe("defineParams: resolve", () => {
  it("explicit values win over the mode's; null takes the mode's", () => {
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const p = DEMO.resolve("full", { heads: 8, lr: null, size: "big" });
    expect(p).toMatchObject({ mode: "full", heads: 8, lr: 6e-4, size: "big", width: 512, window: 5 });
    expect(log.mock.calls[0][0]).toContain("heads=8*");
    log.mockRestore();
  });

  it("takes any string where the values are some strings, as the parameters cell declares them, and checks it", () => {
    const size: string | null = "big"; // as in a parameters cell: `let size: string | null = …`
    expect(resolveParams("fast", { size: size }, DEMO, { print: false }).size).toBe("big");
    expect(thrown(() => resolveParams("fast", { size: "huge" as string }, DEMO, { print: false })).message).toMatch(/size = "huge" .* one of "small", "big"/);
  });

  it("passes the context to computed defaults through resolveParams' options", () => {
    expect(DEMO.resolve("full", {}, { print: false, context: { gpu: true } }).size).toBe("big");
    expect(DEMO.resolve("workshop", {}, { print: false, context: { gpu: true } }).size).toBe("small");
  });

  it("stops on a value outside its range, naming the field, the value and what is allowed", () => {
    const e = thrown(() => DEMO.resolve("fast", { lr: 50 }, { print: false }));
    expect(e).toBeInstanceOf(ParamValueError);
    expect((e as ParamValueError).field).toBe("lr");
    expect(e.message).toBe("parameter lr = 50 is not allowed: it must be a number, > 0, ≤ 10");
  });

  it("stops on a value of the wrong type", () => {
    expect(thrown(() => DEMO.resolve("fast", { heads: "4" as unknown as number }, { print: false })).message).toMatch(/heads = "4" .* a whole number/);
    expect(thrown(() => DEMO.resolve("fast", { heads: 2.5 }, { print: false })).message).toMatch(/heads = 2.5 .* a whole number, ≥ 1/);
  });

  it("checks across fields after the defaults are applied", () => {
    const e = thrown(() => DEMO.resolve("fast", { heads: 3 }, { print: false }));
    expect(e.message).toBe("parameters width = 64, heads = 3 are not allowed together: width must be a multiple of heads");
  });

  it("rejects unknown names (listing the known ones), fixed settings and bad modes", () => {
    expect(thrown(() => DEMO.resolve("fast", { depth: 2 } as never, { print: false })).message).toMatch(
      /unknown parameter "depth"; known parameters: seed, size/,
    );
    expect(thrown(() => DEMO.resolve("fast", { window: 3 } as never, { print: false })).message).toMatch(/"window" is fixed by the mode/);
    expect(thrown(() => DEMO.resolve("slow", {}, { print: false })).message).toMatch(/mode must be one of "fast", "workshop", "full", got "slow"/);
  });
});

describe("defineParams: one -p value", () => {
  it("accepts allowed values, null and modes", () => {
    expect(() => DEMO.validate("lr", 1e-3)).not.toThrow();
    expect(() => DEMO.validate("lr", null)).not.toThrow();
    expect(() => DEMO.validate("mode", "full")).not.toThrow();
    expect(() => DEMO.validate("size", "big")).not.toThrow();
  });

  it("names the field, the value and what is allowed", () => {
    const e = thrown(() => DEMO.validate("lr", 50)) as ParamValueError;
    expect(e).toBeInstanceOf(ParamValueError);
    expect([e.field, e.value, e.allowed]).toEqual(["lr", 50, "a number, > 0, ≤ 10"]);
    expect(thrown(() => DEMO.validate("size", "huge")).message).toBe('parameter size = "huge" is not allowed: it must be one of "small", "big"');
    expect(thrown(() => DEMO.validate("mode", "slow")).message).toMatch(/mode must be one of/);
  });

  it("an unknown or fixed name lists the parameters", () => {
    expect(thrown(() => DEMO.validate("depth", 1)).message).toBe('unknown parameter "depth"; known parameters: mode, seed, size, width, heads, lr, keep');
    expect(thrown(() => DEMO.validate("window", 1)).message).toMatch(/unknown parameter "window" \(window is fixed by the mode\)/);
  });

  it("validateGiven applies the cross-field checks whose fields are all given", () => {
    expect(() => DEMO.validateGiven({ heads: 3 })).not.toThrow(); // width comes from the run's defaults
    expect(thrown(() => DEMO.validateGiven({ width: 64, heads: 3 })).message).toMatch(/width = 64, heads = 3 are not allowed together/);
    expect(thrown(() => DEMO.validateGiven({ width: 64, heads: 0 })).message).toMatch(/heads = 0 .* ≥ 1/);
  });
});

describe("defineParams: words for people", () => {
  it("writes the default of each parameter", () => {
    expect(DEMO.defaultText("seed")).toBe("1");
    expect(DEMO.defaultText("heads")).toBe("fast 2, workshop 4, full 4");
    expect(DEMO.defaultText("lr")).toBe("fast 0.003, workshop 0.003, full 6e-4");
    expect(DEMO.defaultText("size")).toBe('"big" in full mode on a GPU, else "small"');
    expect(DEMO.allowed("width")).toBe("a whole number, ≥ 4, ≤ 1024");
  });

  it("writes the parameters cell's comment", () => {
    expect(DEMO.cellComment("seed", false)).toBe("random seed");
    expect(DEMO.cellComment("heads", true)).toBe("attention heads; null = the mode's preset (fast 2, workshop 4, full 4)");
  });

  it("prints a help table with every parameter, its type, range, default and help; then the fixed settings", () => {
    const help = DEMO.help("demo");
    const lines = help.split("\n");
    expect(lines[0]).toBe("demo");
    expect(lines[2]).toMatch(/^name\s+type\s+allowed\s+default\s+help$/);
    expect(help).toMatch(/\nmode\s+string\s+one of "fast", "workshop", "full"\s+"workshop"/);
    expect(help).toMatch(/\nlr\s+number\s+a number, > 0, ≤ 10\s+fast 0.003, workshop 0.003, full 6e-4\s+peak learning rate/);
    expect(help).toMatch(/\nkeep\s+integer\s+a whole number, ≥ 1, or null\s+fast 100, workshop 100, full null\s+words kept/);
    expect(help).toContain("together:\n  width must be a multiple of heads");
    expect(help).toMatch(/fixed by the mode[^\n]*\n.*\n\s+window\s+integer/);
    expect(help.indexOf("window")).toBeGreaterThan(help.indexOf("fixed by the mode"));
  });
});
