import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import fc from "fast-check";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  csvField,
  formatDuration,
  parseShard,
  parseSweepArgs,
  parseSweepValues,
  runSlug,
  scalarMetrics,
  shardFolder,
  shardPlan,
  shortError,
  splitUnescaped,
  summaryCsv,
  sweepCombinations,
  sweepCommand,
  type SweepRow,
} from "../../../tools/src/cli/sweep";

describe("sweep values", () => {
  it("splits on commas, reads each value like -p (JSON when it parses)", () => {
    expect(parseSweepValues("1e-3,3e-3")).toEqual([0.001, 0.003]);
    expect(parseSweepValues("fast")).toEqual(["fast"]);
    expect(parseSweepValues("true,null,abc")).toEqual([true, null, "abc"]);
  });

  it("keeps escaped commas and takes JSON lists as the list of values", () => {
    expect(splitUnescaped("a\\,b,c\\\\")).toEqual(["a,b", "c\\"]);
    expect(parseSweepValues("a\\,b,c")).toEqual(["a,b", "c"]);
    expect(parseSweepValues('["a,b", 2]')).toEqual(["a,b", 2]);
    expect(parseSweepValues("[[1,2]]")).toEqual([[1, 2]]);
    expect(parseSweepValues('{"a":1,"b":2}')).toEqual([{ a: 1, b: 2 }]);
  });

  it("rejects bad names and a name given twice", () => {
    expect(() => parseSweepArgs(["1x=2"])).toThrow(/valid identifier/);
    expect(() => parseSweepArgs(["a=1", "a=2"])).toThrow(/given twice/);
  });
});

describe("sweepCombinations", () => {
  const axes = parseSweepArgs(["lr=1,2", "mode=fast", "seed=7,8,9"]);
  it("makes the grid, first axis slowest", () => {
    const c = sweepCombinations(axes);
    expect(c).toHaveLength(6);
    expect(c[0]).toEqual({ lr: 1, mode: "fast", seed: 7 });
    expect(c[1]).toEqual({ lr: 1, mode: "fast", seed: 8 });
    expect(c[5]).toEqual({ lr: 2, mode: "fast", seed: 9 });
  });

  it("zips lists of one length, using one-value lists in every run", () => {
    const z = sweepCombinations(parseSweepArgs(["lr=1,2", "mode=fast", "seed=7,8"]), true);
    expect(z).toEqual([
      { lr: 1, mode: "fast", seed: 7 },
      { lr: 2, mode: "fast", seed: 8 },
    ]);
    expect(() => sweepCombinations(axes, true)).toThrow(/same length.*lr has 2.*seed has 3/);
  });
});

describe("runSlug", () => {
  it("is readable, safe, stable, and differs when a fixed value differs", () => {
    const a = runSlug({ lr: 0.001, mode: "fast" }, ["lr"], 1, 1);
    expect(a).toMatch(/^lr=0\.001_[0-9a-f]{8}$/);
    expect(runSlug({ mode: "fast", lr: 0.001 }, ["lr"], 1, 1)).toBe(a);
    expect(runSlug({ lr: 0.001, mode: "full" }, ["lr"], 1, 1)).not.toBe(a);
    expect(runSlug({ lr: 0.001 }, ["lr"], 2, 3)).toMatch(/^lr=0\.001_r2_/);
    expect(runSlug({ text: "a/b c" }, ["text"], 1, 1)).toMatch(/^text=a-b-c_/);
    expect(runSlug({}, [], 1, 1)).toMatch(/^run_/);
  });
});

describe("summary", () => {
  const row = (over: Partial<SweepRow>): SweepRow => ({
    slug: "s",
    repeat: 1,
    params: { lr: 0.1, label: "a,b" },
    status: "ok",
    seconds: 1.5,
    error: null,
    metrics: { val_loss: 2.5 },
    notebook: "runs/s/x.ipynb",
    metricsFile: "runs/s/x.metrics.json",
    ...over,
  });

  it("writes one CSV row per run with quoted fields", () => {
    const csv = summaryCsv([row({}), row({ slug: "t", status: "failed", error: 'cell 3: Error: "bad"', metrics: {} })]);
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("run,repeat,lr,label,status,seconds,error,val_loss");
    expect(lines[1]).toBe('s,1,0.1,"a,b",ok,1.5,,2.5');
    expect(lines[2]).toBe('t,1,0.1,"a,b",failed,1.5,"cell 3: Error: ""bad""",');
    expect(csvField([1, 2])).toBe('"[1,2]"');
  });

  it("keeps scalar metrics only", () => {
    expect(scalarMetrics({ a: 1, b: "x", c: [1, 2], d: { x: [1], y: [2] }, e: null })).toEqual({ a: 1, b: "x", e: null });
  });

  it("formats durations", () => {
    expect(formatDuration(12.4)).toBe("12 s");
    expect(formatDuration(65)).toBe("1 min 05 s");
    expect(formatDuration(3725)).toBe("1 h 02 min");
  });
});

describe("shortError", () => {
  it("finds the Error: line of a notebook error", () => {
    const text = "evalmachine.<anonymous>:4\n    throw new Error(`x`);\n    ^\n\nError: fixture failure\n    at evalmachine.<anonymous>:4:11";
    expect(shortError(text)).toBe("Error: fixture failure");
    expect(shortError("RangeError: nHead must divide nEmbd")).toBe("RangeError: nHead must divide nEmbd");
    expect(shortError("the kernel died\nmore")).toBe("the kernel died");
  });
});

describe("shards", () => {
  it("parse i/N with 1 ≤ i ≤ N and name what is allowed otherwise", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    expect(parseShard(" 1 / 1 ")).toEqual({ index: 1, count: 1 });
    for (const bad of ["0/3", "4/3", "1/0", "2", "a/b", "1.5/3", "-1/3", ""]) {
      expect(() => parseShard(bad), bad).toThrow(`--shard must be i/N with whole numbers 1 ≤ i ≤ N (e.g. --shard 2/3), got ${JSON.stringify(bad)}`);
    }
    expect(shardFolder({ index: 2, count: 3 })).toBe("shard-2-of-3");
  });

  it("split a plan round robin into disjoint parts that cover it, each in plan order", () => {
    expect(shardPlan(["a", "b", "c", "d", "e"], { index: 2, count: 2 })).toEqual(["b", "d"]);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 9 }), (n, count) => {
        const plan = Array.from({ length: n }, (_, k) => k);
        const parts = Array.from({ length: count }, (_, i) => shardPlan(plan, { index: i + 1, count }));
        const all = parts.flat().sort((a, b) => a - b);
        const sizes = parts.map((p) => p.length);
        return (
          JSON.stringify(all) === JSON.stringify(plan) &&
          parts.every((p) => p.every((v, j) => j === 0 || v > p[j - 1])) &&
          Math.max(...sizes) - Math.min(...sizes) <= 1
        );
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe("sweepCommand arguments", () => {
  const fixture = join(__dirname, "..", "..", "fixtures", "notebooks", "sweep.ipynb");
  afterEach(() => vi.restoreAllMocks());

  async function exitOf(args: Parameters<typeof sweepCommand>[1]): Promise<{ code: number; err: string }> {
    let err = "";
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    const code = await sweepCommand(fixture, { out: mkdtempSync(join(tmpdir(), "sweep-args-")), ...args });
    return { code, err };
  }

  it("rejects unknown parameters, bad --repeat and unequal --zip lists before running anything", async () => {
    const unknown = await exitOf({ param: ["nope=1,2"] });
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/unknown parameter "nope".*known parameters: mode, lr, steps, label, fail/);
    expect((await exitOf({ param: ["lr=1"], repeat: "0" })).code).toBe(2);
    const zip = await exitOf({ param: ["lr=1,2", "steps=1,2,3"], zip: true });
    expect(zip.code).toBe(2);
    expect(zip.err).toContain("--zip needs lists of the same length");
    const shard = await exitOf({ param: ["lr=1,2"], shard: "3/2" });
    expect(shard.code).toBe(2);
    expect(shard.err).toContain('--shard must be i/N with whole numbers 1 ≤ i ≤ N (e.g. --shard 2/3), got "3/2"');
    const both = await exitOf({ param: ["lr=1,2"], shard: "1/2", merge: true });
    expect(both.code).toBe(2);
    expect(both.err).toContain("--shard and --merge do not go together");
  });

  it("--merge of a folder no shard wrote says to run the shards first", async () => {
    let err = "";
    vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
      err += String(s);
      return true;
    });
    const out = join(mkdtempSync(join(tmpdir(), "sweep-merge-")), "none");
    expect(await sweepCommand(fixture, { param: ["lr=1,2"], merge: true, out })).toBe(2);
    expect(err).toContain(`--merge: no sweep folder ${out}; run the shards first`);
  });
});
