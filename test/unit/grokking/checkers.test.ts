import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { type AdamWHyper, checkDecoupledWeightDecay, checkFourierPower, checkModularSplit } from "../../../kernel-lib/src/lessons/07-grokking/checkers";
import { modularPairs, splitModularPairs, type ModularExample } from "../../../kernel-lib/src/grokking/data";
import { fourierPower } from "../../../kernel-lib/src/grokking/fourier";
import { makeRng } from "../../../kernel-lib/src/util/random";

vi.spyOn(console, "log").mockImplementation(() => undefined);
beforeAll(async () => {
  await tf.setBackend("cpu");
  await tf.ready();
});

describe("checkModularSplit", () => {
  /** A learner's split: all pairs, a Fisher–Yates shuffle with the given random source, cut at n. */
  const splitWith = (count: (f: number, p: number) => number, rand: (seed: number) => () => number) => (p: number, f: number, seed: number) => {
    const pairs = modularPairs(p);
    const r = rand(seed);
    for (let i = pairs.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
    }
    const n = count(f, p);
    return { train: pairs.slice(0, n), val: pairs.slice(n) };
  };
  const seeded = (seed: number) => makeRng(seed).next;

  it("passes the library's split and any other seeded shuffle", () => {
    expect(checkModularSplit(splitModularPairs)).toBeUndefined();
    expect(() =>
      checkModularSplit(
        splitWith(
          (f, p) => Math.round(f * p * p),
          (s) => makeRng(s + 99).next,
        ),
      ),
    ).not.toThrow();
  });

  it("names the usual mistakes", () => {
    expect(() => checkModularSplit(splitWith((f, p) => Math.floor(f * p * p), seeded))).toThrow(/expected 18 training pairs.*got 17.*Math.floor/);
    expect(() =>
      checkModularSplit(
        splitWith(
          (f, p) => Math.round(f * p * p),
          () => Math.random,
        ),
      ),
    ).toThrow(/same seed gave different splits.*ignores the seed/);
    expect(() =>
      checkModularSplit(
        splitWith(
          (f, p) => Math.round(f * p * p),
          () => makeRng(1).next,
        ),
      ),
    ).toThrow(/seeds 1 and 2 gave the same split.*not used/);
    expect(() =>
      checkModularSplit((p, f) => {
        const all = modularPairs(p);
        const n = Math.round(f * p * p);
        return { train: all.slice(0, n), val: all.slice(n) };
      }),
    ).toThrow(/not shuffled/);
    const byOperand = (p: number, f: number, seed: number) => {
      // The values of a shuffled, then whole rows of a to training: only the row the cut falls in is shared.
      const order = Array.from({ length: p }, (_, a) => a);
      const r = makeRng(seed);
      for (let i = p - 1; i > 0; i--) {
        const j = r.int(i + 1);
        [order[i], order[j]] = [order[j], order[i]];
      }
      const rows = order.flatMap((a) => modularPairs(p).slice(a * p, a * p + p));
      const n = Math.round(f * p * p);
      return { train: rows.slice(0, n), val: rows.slice(n) };
    };
    expect(() => checkModularSplit(byOperand)).toThrow(/split by operand/);
    const random = (p: number, f: number, seed: number) => {
      const r = makeRng(seed);
      const n = Math.round(f * p * p);
      const draw = (k: number): ModularExample[] =>
        Array.from({ length: k }, () => {
          const a = r.int(p),
            b = r.int(p);
          return [a, b, (a + b) % p];
        });
      return { train: draw(n), val: draw(p * p - n) };
    };
    expect(() => checkModularSplit(random)).toThrow(/appears twice.*(with replacement|overlap)/);
    expect(() =>
      checkModularSplit((p, f, s) => {
        const x = splitModularPairs(p, f, s);
        return { train: x.train.map(([a, b]) => [a, b, a + b] as ModularExample), val: x.val };
      }),
    ).toThrow(/expected c = .*a \+ b without mod p/);
    expect(() =>
      checkModularSplit((p, f, s) => {
        const x = splitModularPairs(p, f, s);
        return { train: x.val, val: x.train };
      }),
    ).toThrow(/swapped/);
  });
});

describe("checkDecoupledWeightDecay", () => {
  type Variant = "right" | "coupled" | "noLr" | "after";
  const step = (variant: Variant) => (w: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, t: number, o: AdamWHyper) =>
    tf.tidy(() => {
      const grad = variant === "coupled" ? tf.add(g, tf.mul(w, o.weightDecay)) : g;
      const m2 = tf.add(tf.mul(m, o.beta1), tf.mul(grad, 1 - o.beta1));
      const v2 = tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(grad), 1 - o.beta2));
      const adam = tf.div(tf.div(m2, 1 - o.beta1 ** t), tf.add(tf.sqrt(tf.div(v2, 1 - o.beta2 ** t)), o.eps));
      const decay = variant === "coupled" ? 1 : variant === "noLr" ? 1 - o.weightDecay : 1 - o.lr * o.weightDecay;
      const w2 = variant === "after" ? tf.mul(tf.sub(w, tf.mul(adam, o.lr)), 1 - o.lr * o.weightDecay) : tf.sub(tf.mul(w, decay), tf.mul(adam, o.lr));
      return { w: w2, m: m2, v: v2 };
    });

  it("passes AdamW with decoupled decay", () => {
    expect(checkDecoupledWeightDecay(step("right"))).toBeUndefined();
  });

  it("names coupled L2, a decay without lr and a decay after the step", () => {
    expect(() => checkDecoupledWeightDecay(step("coupled"))).toThrow(/m\[\d+\].*m must be β1·m \+ \(1 − β1\)·g with the raw gradient/);
    expect(() => checkDecoupledWeightDecay(step("noLr"))).toThrow(/w\[\d+\]: expected .* got .*\(1 − λ\) instead of \(1 − lr·λ\)/);
    expect(() => checkDecoupledWeightDecay(step("after"))).toThrow(/decay applied to the updated weights/);
  });
});

describe("checkFourierPower", () => {
  const lib = (E: number[][]) => fourierPower(E.flat(), E.length, E[0].length);

  it("passes the library's power", () => {
    expect(checkFourierPower(lib)).toBeUndefined();
  });

  it("names a dropped DC term, uncombined halves, the full spectrum and a divided power", () => {
    expect(() => checkFourierPower((E) => lib(E).slice(1))).toThrow(/DC term \(k = 0\) dropped/);
    expect(() => checkFourierPower((E) => lib(E).map((v, k) => (k === 0 || 2 * k === E.length ? v : v / 2)))).toThrow(/halves not combined/);
    expect(() => checkFourierPower((E) => [...lib(E), ...new Array(E.length - lib(E).length).fill(0)])).toThrow(/all p frequencies returned/);
    expect(() => checkFourierPower((E) => lib(E).map((v) => v / E.length))).toThrow(/divided by p/);
    expect(() => checkFourierPower((E) => lib(E).map((v, k) => (k === 0 ? 0 : v)))).toThrow(/DC term left at 0/);
  });
});
