import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { checkCbowStep, checkKeepProbability, checkSgnsStep } from "../../../kernel-lib/src/lessons/02-word2vec/exercises";
import { cbowStep, sgnsStep } from "../../../kernel-lib/src/word2vec/reference";

let log: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  log = vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(() => log.mockRestore());

type Rows = Float32Array[];
const sig = (x: number) => 1 / (1 + Math.exp(-x));
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, j) => s + x * b[j], 0);

/** A learner's step, right unless one mistake is switched on. */
function learnerStep(mistake: string) {
  return (wIn: Rows, wOut: Rows, centre: number, context: number, negatives: ArrayLike<number>, lr: number) => {
    const u = wIn[centre];
    const grad = new Array<number>(u.length).fill(0);
    const targets = mistake === "no negatives" ? [context] : [context, ...Array.from(negatives)];
    for (let k = 0; k < targets.length; k++) {
      const v = wOut[targets[k]];
      const label = k === 0 ? 1 : 0;
      const g = mistake === "sign" ? lr * (sig(dot(u, v)) - label) : lr * (label - sig(dot(u, v)));
      if (mistake === "update v first") {
        for (let j = 0; j < u.length; j++) v[j] += g * u[j];
        for (let j = 0; j < u.length; j++) grad[j] += g * v[j];
      } else if (mistake === "update u inside") {
        const old = Float32Array.from(u);
        for (let j = 0; j < u.length; j++) u[j] += g * v[j];
        for (let j = 0; j < u.length; j++) v[j] += g * old[j];
      } else {
        for (let j = 0; j < u.length; j++) {
          grad[j] += g * v[j];
          v[j] += g * u[j];
        }
      }
    }
    if (mistake !== "update u inside" && mistake !== "forget u") for (let j = 0; j < u.length; j++) u[j] += grad[j];
  };
}

describe("checkSgnsStep", () => {
  it("passes the reference and a correct learner-style step", () => {
    expect(checkSgnsStep(sgnsStep)).toBeUndefined();
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ sgnsStep matches the reference step on 3 random cases/));
    expect(checkSgnsStep(learnerStep("none"))).toBeUndefined();
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ sgnsStep matches/));
    expect(log).toHaveBeenCalledTimes(2);
  });

  const named: [string, RegExp][] = [
    ["sign", /wrong sign/],
    ["no negatives", /missing negative term/],
    ["update v first", /updating a vector before computing both gradients: wOut/],
    ["update u inside", /updating a vector before computing both gradients: wIn\[centre\] was changed inside the loop/],
    ["forget u", /wIn\[centre\] was never updated/],
  ];
  for (const [mistake, cause] of named) {
    it(`names the mistake: ${mistake}`, () => {
      let message = "";
      try {
        checkSgnsStep(learnerStep(mistake));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(cause);
      // The first wrong element, expected vs got.
      expect(message).toMatch(/^sgnsStep: w(In|Out)\[\d+\]\[\d+\] \(.+\) is -?[\d.e-]+, expected -?[\d.e-]+ \(case \d of 3/);
    });
  }

  it("says when nothing changed, and rejects a non-function", () => {
    expect(() => checkSgnsStep(() => 0)).toThrow(/nothing changed: update the rows of wIn and wOut in place/);
    expect(() => checkSgnsStep(null as never)).toThrow(/checkSgnsStep: pass your function, e.g. checkSgnsStep\(mySgnsStep\)/);
  });
});

const keep = (count: number, total: number, sample: number) => Math.min(1, ((Math.sqrt(count / (sample * total)) + 1) * (sample * total)) / count);

describe("checkKeepProbability", () => {
  it("passes word2vec.c's formula, also written with frequencies", () => {
    expect(checkKeepProbability(keep)).toBeUndefined();
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ keepProbability matches word2vec.c.s formula on 7 cases/));
    expect(checkKeepProbability((c, t, s) => Math.min(1, (Math.sqrt(c / t / s) + 1) * (s / (c / t))))).toBeUndefined();
    expect(log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ keepProbability matches/));
    expect(log).toHaveBeenCalledTimes(2);
  });

  const named: [string, (c: number, t: number, s: number) => number, RegExp][] = [
    ["not capped", (c, t, s) => ((Math.sqrt(c / (s * t)) + 1) * (s * t)) / c, /not capped at 1/],
    ["drop probability", (c, t, s) => 1 - keep(c, t, s), /probability of dropping the word/],
    ["the paper's formula", (c, t, s) => Math.min(1, Math.sqrt(s / (c / t))), /paper's √\(s\/f\)/],
    ["threshold not a count", (c, _t, s) => Math.min(1, (Math.sqrt(c / s) + 1) * (s / c)), /multiply sample by total/],
    ["not a number", () => NaN, /return a number/],
  ];
  for (const [mistake, fn, cause] of named) {
    it(`names the mistake: ${mistake}`, () => {
      expect(() => checkKeepProbability(fn)).toThrow(cause);
      expect(() => checkKeepProbability(fn)).toThrow(/^keepProbability\(count = \d+, total = \d+, sample = [\d.e-]+\) returned .+, expected [\d.]+\./);
    });
  }
});

/** A learner's CBOW step (word2vec.c's), right unless one mistake is switched on. */
function learnerCbow(mistake: string) {
  return (wIn: Rows, wOut: Rows, contexts: number[], centre: number, negatives: number[], lr: number) => {
    const dim = wIn[contexts[0]].length;
    const h = new Float32Array(dim);
    for (const c of contexts) for (let j = 0; j < dim; j++) h[j] += wIn[c][j];
    if (mistake !== "sum") for (let j = 0; j < dim; j++) h[j] /= contexts.length;
    const e = new Float32Array(dim);
    [centre, ...negatives].forEach((o, k) => {
      const v = wOut[o];
      const g = lr * ((k === 0 ? 1 : 0) - sig(dot(h, v)));
      const before = Float32Array.from(v);
      for (let j = 0; j < dim; j++) v[j] += g * h[j];
      for (let j = 0; j < dim; j++) e[j] += g * (mistake === "new output" ? v[j] : before[j]);
    });
    const targets = mistake === "first only" ? contexts.slice(0, 1) : contexts;
    for (const c of targets) for (let j = 0; j < dim; j++) wIn[c][j] += mistake === "gensim" ? e[j] / contexts.length : e[j];
  };
}

describe("checkCbowStep", () => {
  it("passes word2vec.c's step and a learner's, printing one ✓ line", () => {
    expect(checkCbowStep(cbowStep)).toBeUndefined();
    expect(checkCbowStep(learnerCbow("none"))).toBeUndefined();
    expect(log).toHaveBeenCalledTimes(2);
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/^✓ cbowStep matches word2vec\.c's CBOW step/));
  });
  for (const [mistake, cause] of [
    ["sum", /h is the sum of the context vectors/],
    ["gensim", /divided by the number of context words \(gensim's variant\)/],
    ["new output", /collected v_o after its update/],
    ["first only", /only the first context word was updated/],
  ] as const) {
    it(`names the mistake: ${mistake}`, () => {
      let message = "";
      try {
        checkCbowStep(learnerCbow(mistake));
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(cause);
      expect(message).toMatch(/^cbowStep: w(In|Out)\[\d+\]\[\d+\] \(.+\) is -?[\d.e-]+, expected -?[\d.e-]+ \(case \d of 3/);
    });
  }
  it("a repeated context word gets the error once per position, and nothing changes the other rows", () => {
    const wIn = [Float32Array.of(0.1, 0.2), Float32Array.of(0.3, -0.1), Float32Array.of(-0.2, 0.4)];
    const wOut = [Float32Array.of(0.5, -0.3), Float32Array.of(0.2, 0.1), Float32Array.of(-0.4, 0.2)];
    const before = wIn.map((r) => Float32Array.from(r));
    cbowStep(wIn, wOut, [0, 0, 1], 2, [1], 0.5);
    const d0 = wIn[0].map((x, j) => x - before[0][j]);
    const d1 = wIn[1].map((x, j) => x - before[1][j]);
    for (let j = 0; j < 2; j++) expect(d0[j]).toBeCloseTo(2 * d1[j], 6);
    expect(Array.from(wIn[2])).toEqual(Array.from(before[2]));
    expect(Array.from(wOut[0])).toEqual([0.5, -0.30000001192092896]);
  });
  it("says when nothing changed, and rejects a non-function", () => {
    expect(() => checkCbowStep(() => 0)).toThrow(/nothing changed/);
    expect(() => checkCbowStep(undefined as never)).toThrow(/checkCbowStep: pass your function/);
  });
});
