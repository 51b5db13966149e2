import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { TinyDecoder, decodeTokensPerSecond, kvCacheTiming, scaledDotProductAttention, sdpaGflops } from "../../../kernel-lib/src/attention";
import { resolveParams } from "../../../kernel-lib/src/runtime/params";
import { makeRng } from "../../../kernel-lib/src/util";
import { maxAbsDiff, useBackend } from "./helpers";
import {
  ATTENTION_PRESETS,
  CIRCUIT_START,
  argmaxRows,
  circuitBlocks,
  copyingAccuracy,
  embedCircuit,
  handcraftedHeads,
  inductionCircuit,
  inductionHead,
  previousTokenHead,
  repeatedRandomTokens,
  ropeOrbit,
  runCircuitHead,
  sentenceWords,
  tokenLabels,
} from "../../../kernel-lib/src/lessons/03-attention";

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

describe("the hand-built induction circuit", () => {
  const layout = { vocabSize: 6, maxLen: 12 };

  it("lays the residual stream out in four blocks and embeds one-hots", () => {
    expect(circuitBlocks(layout)).toEqual({ token: 0, position: 6, previous: 18, guess: 24, width: 30 });
    const x = embedCircuit([3, 1], layout);
    expect(x[0].flatMap((v, c) => (v ? [c] : []))).toEqual([3, 6]);
    expect(x[1].flatMap((v, c) => (v ? [c] : []))).toEqual([1, 7]);
    expect(() => embedCircuit([6], layout)).toThrow(/outside 0 … 5/);
    expect(() => embedCircuit(new Array(13).fill(0), layout)).toThrow(/do not fit maxLen 12/);
    expect(() => circuitBlocks({ vocabSize: 0, maxLen: 4 })).toThrow(RangeError);
  });

  it("runCircuitHead is causal scaled dot-product attention (agrees with scaledDotProductAttention)", () => {
    const rng = makeRng(5);
    const x = Array.from({ length: 7 }, () => Array.from({ length: 4 }, () => rng.normal()));
    const m = (r: number, c: number) => Array.from({ length: r }, () => Array.from({ length: c }, () => rng.normal()));
    const head = { wQ: m(4, 3), wK: m(4, 3), wV: m(4, 4) };
    const mine = runCircuitHead(x, head);
    const xt = tf.tensor2d(x);
    const as4 = (w: number[][]) => xt.matMul(tf.tensor2d(w)).expandDims(0).expandDims(0) as tf.Tensor4D;
    const ref = scaledDotProductAttention(as4(head.wQ), as4(head.wK), as4(head.wV), { causal: true, returnWeights: true });
    expect(maxAbsDiff(ref.output, mine.output.flat())).toBeLessThan(1e-5);
    expect(maxAbsDiff(ref.weights!, mine.weights.flat())).toBeLessThan(1e-6);
    expect(mine.unmaskedScores[0][6]).not.toBe(0);
  });

  it("the previous-token head looks one back and writes the previous token; the induction head then copies", () => {
    const tokens = [0, 2, 5, 1, 3, 2, 5, 1, 3];
    const run = inductionCircuit(tokens, layout);
    argmaxRows(run.previousWeights)
      .slice(1)
      .forEach((j, i) => expect(j).toBe(i));
    run.previousWeights.slice(1).forEach((w, i) => expect(w[i]).toBeGreaterThan(0.99));
    const b = circuitBlocks(layout);
    run.x1.slice(1).forEach((row, t) => expect(argmaxRows([row.slice(b.previous, b.guess)])[0]).toBe(tokens[t]));
    // second copy: token 2 at position 5 looks at position 2 (after the earlier 2) and guesses 5
    expect(argmaxRows(run.inductionWeights)[5]).toBe(2);
    expect(run.predictions.slice(5, 8)).toEqual([5, 1, 3]);
    expect(copyingAccuracy(tokens, run.predictions).secondHalf).toBe(1);
    // the reference heads are what the checker accepts
    expect(inductionCircuit(tokens, layout, { previous: previousTokenHead(layout), induction: inductionHead(layout) }).x2).toEqual(run.x2);
  });

  it("repeatedRandomTokens: start token, then a random half twice; copyingAccuracy scores both halves", () => {
    const t = repeatedRandomTokens(10, 8, 3);
    expect(t).toHaveLength(17);
    expect(t[0]).toBe(CIRCUIT_START);
    expect(t.slice(1, 9)).toEqual(t.slice(9));
    expect(t.slice(1).every((id) => id >= 1 && id < 10)).toBe(true);
    expect(repeatedRandomTokens(10, 8, 3)).toEqual(t);
    const perfect = t.map((_, i) => t[i + 1] ?? 0);
    expect(copyingAccuracy(t, perfect)).toEqual({ firstHalf: 1, secondHalf: 1 });
    expect(() => copyingAccuracy([0, 1, 1], [0, 0, 0])).toThrow(RangeError);
  });

  it("copies most of a repeated random sequence and almost none of its first half", () => {
    const L = { vocabSize: 50, maxLen: 41 };
    let first = 0;
    let second = 0;
    for (let s = 0; s < 20; s++) {
      const tokens = repeatedRandomTokens(50, 20, s);
      const acc = copyingAccuracy(tokens, inductionCircuit(tokens, L).predictions);
      first += acc.firstHalf / 20;
      second += acc.secondHalf / 20;
    }
    expect(second).toBeGreaterThan(0.7);
    expect(first).toBeLessThan(0.15);
  });
});
