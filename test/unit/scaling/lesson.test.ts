import { describe, expect, it, vi } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CHINCHILLA_PUBLISHED, chinchillaLoss } from "../../../kernel-lib/src/scaling/chinchilla";
import { computeOptimal } from "../../../kernel-lib/src/scaling/compute";
import { checkComputeOptimal, checkParamCount, checkTokensForLoss } from "../../../kernel-lib/src/lessons/05-scaling-laws/exercises";
import { isoFlopMinimum } from "../../../kernel-lib/src/scaling/isoflop";
import {
  isoFlopValleys,
  isoLossContour,
  lossGrid,
  predictionSplit,
  relativeError,
  shortCount,
  sweepPath,
} from "../../../kernel-lib/src/lessons/05-scaling-laws/lesson";

vi.spyOn(console, "log").mockImplementation(() => undefined);
const law = CHINCHILLA_PUBLISHED;

describe("exercise checkers", () => {
  it("exercise 1 accepts L·(12C² + 13C) + 2C and rejects the bare 12·L·C²", () => {
    expect(checkParamCount({ nLayer: 2, nEmbd: 48, N: 2 * (12 * 48 * 48 + 13 * 48) + 96 })).toBeUndefined();
    expect(console.log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓ 56640/));
    expect(() => checkParamCount({ nLayer: 2, nEmbd: 48, N: 12 * 2 * 48 * 48 })).toThrow(/biases/);
    expect(() => checkParamCount({ nLayer: 2, nEmbd: 48, N: null })).toThrow(/set N/);
  });

  it("exercise 2 accepts the inverted law and rejects a wrong D or an unreachable target", () => {
    const N = 1e8;
    const target = 2.5;
    const D = (law.B / (target - law.E - law.A / N ** law.alpha)) ** (1 / law.beta);
    expect(checkTokensForLoss({ fit: law, N, targetLoss: target, D })).toBeUndefined();
    expect(console.log).toHaveBeenLastCalledWith(expect.stringMatching(/^✓/));
    expect(() => checkTokensForLoss({ fit: law, N, targetLoss: target, D: D * 2 })).toThrow(/the law gives/);
    expect(() => checkTokensForLoss({ fit: law, N, targetLoss: 1.5, D })).toThrow(/no D reaches/);
  });

  it("exercise 3 accepts the compute-optimal N and rejects a model 2× too big", () => {
    const C = 1e21;
    const best = computeOptimal(law, C);
    expect(checkComputeOptimal({ fit: law, C, N: best.N, tokensPerParameter: best.tokensPerParameter })).toBeUndefined();
    expect(console.log).toHaveBeenLastCalledWith(expect.stringMatching(/tokens per parameter/));
    expect(() => checkComputeOptimal({ fit: law, C, N: best.N * 2, tokensPerParameter: best.tokensPerParameter / 4 })).toThrow(/not the optimum/);
    expect(() => checkComputeOptimal({ fit: law, C, N: best.N, tokensPerParameter: 1 })).toThrow(/tokensPerParameter/);
  });
});

describe("lesson helpers", () => {
  const pts = [1e3, 1e4, 1e5].flatMap((N) => [1e4, 1e5].map((D) => ({ id: `${N}-${D}`, N, D, loss: chinchillaLoss(law, N, D) })));

  it("predictionSplit holds out the biggest model's longest run and fits on smaller models only", () => {
    const { fitOn, target } = predictionSplit(pts.concat([{ id: "x", N: 1e3, D: 1e6, loss: 3 }]));
    expect(target.id).toBe("100000-100000");
    expect(fitOn.every((p) => p.N < 1e5)).toBe(true);
    expect(fitOn.length).toBe(5);
    expect(() => predictionSplit(pts.slice(0, 4))).toThrow(/at least 6/);
    expect(() => predictionSplit(pts)).toThrow(/only 4 runs/);
  });

  it("relativeError is signed and refuses non-finite input", () => {
    expect(relativeError(2.2, 2)).toBeCloseTo(0.1, 12);
    expect(relativeError(1.8, 2)).toBeCloseTo(-0.1, 12);
    expect(() => relativeError(Number.NaN, 2)).toThrow(/finite/);
  });

  it("lossGrid has rows = D and columns = N and falls along both axes", () => {
    const z = lossGrid(law, [1e6, 1e8], [1e9, 1e11, 1e13]);
    expect(z.length).toBe(3);
    expect(z[0].length).toBe(2);
    expect(z[0][1]).toBeLessThan(z[0][0]);
    expect(z[2][0]).toBeLessThan(z[0][0]);
    expect(z[1][1]).toBeCloseTo(chinchillaLoss(law, 1e8, 1e11), 12);
  });

  it("isoLossContour draws a contour over log10 axes with points and frontier", () => {
    const fig = isoLossContour(law, { nRange: [1e3, 1e6], dRange: [1e4, 1e7], points: pts, frontier: [{ N: 1e4, D: 1e5 }], resolution: 10 });
    const [contour, runs, frontier] = fig.data as { type: string; x: number[]; z?: number[][] }[];
    expect(contour.type).toBe("contour");
    expect(contour.x[0]).toBeCloseTo(3, 12);
    expect(contour.z!.length).toBe(10);
    expect(runs.x.length).toBe(pts.length);
    expect(frontier.x).toEqual([4]);
    expect(() => isoLossContour(law, { nRange: [1e6, 1e3], dRange: [1e4, 1e7] })).toThrow(/increasing/);
  });

  it("shortCount writes readable axis labels", () => {
    expect(shortCount(3312)).toBe("3.3k");
    expect(shortCount(276480)).toBe("280k");
    expect(shortCount(1.2e6)).toBe("1.2M");
    expect(shortCount(40)).toBe("40");
  });

  it("sweepPath finds a .json path as given and names the script when a sweep is missing", () => {
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "sw-")), "x.json");
    fs.writeFileSync(f, "{}");
    expect(sweepPath(f)).toBe(path.resolve(f));
    expect(() => sweepPath("no-such-sweep")).toThrow(/scaling-sweep\.cjs/);
    expect(() => sweepPath("/nope/missing.json")).toThrow(/do not exist/);
  });
  it("isoFlopValleys draws each budget's runs, its parabola and its vertex (hollow outside the sampled sizes)", () => {
    const profile = { C: 1e10, points: [1e3, 3e3, 1e4].map((N) => ({ N, D: 1e10 / 6 / N, loss: 2 + 0.1 * Math.log(N / 2e3) ** 2 })) };
    const fig = isoFlopValleys([profile], [isoFlopMinimum(profile)]);
    expect(fig.data).toHaveLength(3);
    const [pts, curve, star] = fig.data as { x: number[]; y: number[]; marker?: { symbol: string } }[];
    expect(pts.x).toEqual([1e3, 3e3, 1e4]);
    expect(curve.x.length).toBe(60);
    expect(star.x[0]).toBeCloseTo(2e3, 6);
    expect(star.marker?.symbol).toBe("star");
    expect(() => isoFlopValleys([profile], [])).toThrow(/1 profiles but 0 minima/);
  });
});
