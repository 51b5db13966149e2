import { describe, expect, it } from "vitest";
import { parameterNames, resolveParams } from "../../../kernel-lib/src/runtime/params";
import { recordMetric, recordedMetrics } from "../../../kernel-lib/src/runtime/metrics";

const presets = {
  fast: { nLayer: 1, lr: 0.01 },
  workshop: { nLayer: 2, lr: 0.003 },
  full: { nLayer: 4, lr: 0.001 },
};

describe("resolveParams", () => {
  it("takes the mode's preset for unset values and lets explicit values win", () => {
    const p = resolveParams("fast", { nLayer: null, lr: 0.5 }, presets, { print: false });
    expect(p).toEqual({ mode: "fast", nLayer: 1, lr: 0.5 });
    expect(resolveParams("full", {}, presets, { print: false }).nLayer).toBe(4);
  });

  it("names the bad mode and the valid ones", () => {
    expect(() => resolveParams("quick", {}, presets, { print: false })).toThrow(/mode must be one of "fast", "workshop", "full", got "quick"/);
  });

  it("rejects an unknown parameter and lists the known ones", () => {
    expect(() => resolveParams("fast", { nLayers: 3 } as never, presets, { print: false })).toThrow(/unknown parameter "nLayers".*nLayer, lr/);
  });
});

describe("parameterNames", () => {
  it("finds every declared name in order, typed or not", () => {
    const src = 'let mode = "workshop"; // preset\nlet nLayer: number | null = null; // blocks\n  let lr = 3e-4;\n// let commented = 1\n';
    expect(parameterNames(src)).toEqual(["mode", "nLayer", "lr"]);
  });
});

describe("recordMetric", () => {
  it("keeps the latest value per name and rejects NaN", () => {
    recordMetric("loss", 2);
    recordMetric("loss", 1.5);
    expect(recordedMetrics().loss).toBe(1.5);
    expect(() => recordMetric("loss", Number.NaN)).toThrow(/"loss" is NaN/);
  });
});
