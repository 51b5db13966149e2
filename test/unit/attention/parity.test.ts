import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { MultiHeadAttention, applyRope, scaledDotProductAttention } from "../../../kernel-lib/src/attention";
import { maxAbsDiff, useBackend } from "./helpers";

beforeAll(useBackend);

interface Fx {
  shape: number[];
  data: number[];
}
interface SdpaCase {
  q: Fx;
  k: Fx;
  v: Fx;
  output: Fx;
  weights: Fx;
  causal?: boolean;
  mask?: Fx;
}
/** x, then the expected output of each pairing, plain and `${pairing}_offset3_base100`. */
type RopeCase = Record<string, Fx>;
interface LayerCase {
  config: { dModel: number; nHead: number; nKvHead: number };
  x: Fx;
  output: Fx;
  wq: Fx;
  wk: Fx;
  wv: Fx;
  wo: Fx;
}
const cases: Record<string, unknown> = JSON.parse(readFileSync(join(__dirname, "../../fixtures/attention/torch_attention.json"), "utf8")).cases;
const t = (f: Fx) => tf.tensor(f.data, f.shape);

describe("parity with PyTorch (scripts/fixtures/torch_attention.py)", () => {
  for (const name of ["sdpa", "sdpa_causal", "sdpa_causal_offset", "sdpa_padding", "gqa_causal"]) {
    it(name, () => {
      const c = cases[name] as SdpaCase;
      const mask = c.mask ? tf.tensor(c.mask.data, c.mask.shape, "bool") : undefined;
      const r = scaledDotProductAttention(t(c.q), t(c.k), t(c.v), { causal: c.causal, mask, returnWeights: true });
      expect(maxAbsDiff(r.output, t(c.output))).toBeLessThan(1e-5);
      expect(maxAbsDiff(r.weights!, t(c.weights))).toBeLessThan(1e-5);
    });
  }

  for (const pairing of ["interleaved", "half"] as const) {
    it(`RoPE ${pairing} (${pairing === "interleaved" ? "Llama complex multiplication" : "HF rotate_half"})`, () => {
      const c = cases.rope as RopeCase;
      expect(maxAbsDiff(applyRope(t(c.x), { pairing }), t(c[pairing]))).toBeLessThan(1e-5);
      expect(maxAbsDiff(applyRope(t(c.x), { pairing, base: 100, offset: 3 }), t(c[`${pairing}_offset3_base100`]))).toBeLessThan(1e-5);
    });
  }

  it("a whole GQA layer with RoPE (half)", () => {
    const c = cases.layer_gqa_rope_half as LayerCase;
    const m = new MultiHeadAttention({ dModel: c.config.dModel, nHead: c.config.nHead, nKvHead: c.config.nKvHead, rope: { pairing: "half" } });
    for (const key of ["wq", "wk", "wv", "wo"] as const) m.weights[key].assign(t(c[key]));
    expect(maxAbsDiff(m.apply(t(c.x)), t(c.output))).toBeLessThan(1e-5);
    m.dispose();
  });
});
