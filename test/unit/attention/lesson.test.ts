import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TinyDecoder, decodeTokensPerSecond, kvCacheTiming, sdpaGflops } from "../../../kernel-lib/src/attention";
import { resolveParams } from "../../../kernel-lib/src/runtime/params";
import { useBackend } from "./helpers";
import { ATTENTION_PRESETS, argmaxRows, handcraftedHeads, ropeOrbit, sentenceWords, tokenLabels } from "../../../kernel-lib/src/lessons/03-attention";

beforeAll(useBackend);

const GETTYSBURG = "that government of the people, by the people, for the people, shall not perish from the earth";

describe("lesson helpers", () => {
  it("hand-built heads do what their names say on the Gettysburg sentence", () => {
    const tokens = sentenceWords(GETTYSBURG);
    expect(tokens.slice(0, 4)).toEqual(["that", "government", "of", "the"]);
    const h = handcraftedHeads(tokens);
    const [prev, same, induction, avg] = h.weights.map(argmaxRows);
    expect(prev.slice(1)).toEqual(tokens.slice(1).map((_, i) => i));
    // second and third "the" (positions 6 and 9) look at an earlier "the"
    expect(tokens[same[6]]).toBe("the");
    expect(same[6]).toBeLessThan(6);
    expect(tokens[same[9]]).toBe("the");
    // induction: the second "the" attends to "people", the word that followed the first "the"
    expect(tokens[induction[6]]).toBe("people");
    expect(tokens[induction[tokens.length - 2]]).toBe("people");
    expect(h.weights[3][4].slice(0, 5).every((w) => Math.abs(w - 0.2) < 1e-6)).toBe(true);
    expect(avg[0]).toBe(0);
    for (const head of h.weights) head.forEach((row, i) => row.forEach((w, j) => j > i && expect(w).toBe(0)));
    tf.dispose([h.q, h.k]);
  });

  it("tokenLabels keeps repeated words apart; ropeOrbit stays on the circle", () => {
    expect(tokenLabels(["the", "cat", "the", "the"])).toEqual(["the", "cat", "the²", "the³"]);
    const o = ropeOrbit(1, 0, 0.5, 8);
    o.x.forEach((x, m) => expect(Math.hypot(x, o.y[m])).toBeCloseTo(1, 12));
    expect(o.x[2]).toBeCloseTo(Math.cos(1), 12);
  });

  it("presets resolve for every mode", () => {
    for (const mode of ["fast", "workshop", "full"]) {
      const p = resolveParams(mode, { seed: 3 }, ATTENTION_PRESETS, { print: false });
      expect(p.seed).toBe(3);
      expect(p.maxTokens).toBeGreaterThanOrEqual(128);
    }
  });

  it("timing helpers return positive numbers (tiny sizes)", async () => {
    const m = new TinyDecoder({ vocabSize: 16, dModel: 16, nLayer: 1, nHead: 2 });
    const rows = await kvCacheTiming(m, [4, 8], { repeats: 1 });
    expect(rows.map((r) => r.tokens)).toEqual([4, 8]);
    rows.forEach((r) => expect(r.cachedSeconds).toBeGreaterThan(0));
    expect(await decodeTokensPerSecond(m, { context: 8, steps: 4 })).toBeGreaterThan(0);
    expect(await sdpaGflops({ batch: 1, heads: 2, seq: 16, headDim: 8, repeats: 1 })).toBeGreaterThan(0);
    m.dispose();
  });

  it("kvCacheTiming stops after the current point when its signal aborts", async () => {
    const m = new TinyDecoder({ vocabSize: 16, dModel: 16, nLayer: 1, nHead: 2 });
    const stop = new AbortController();
    const rows = await kvCacheTiming(m, [4, 8, 12], { repeats: 1, signal: stop.signal, onPoint: () => stop.abort() });
    expect(rows.map((r) => r.tokens)).toEqual([4]);
    m.dispose();
  });
});
