import { afterEach, describe, expect, it } from "vitest";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readSweep, runSweep } from "../../../kernel-lib/src/scaling/sweep";

const dirs: string[] = [];
function tmpFile(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), "sweep-"));
  dirs.push(d);
  return path.join(d, "results.json");
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const runs = [1, 2, 3, 4].map((k) => ({ id: `n${k}`, config: { width: 16 * k } }));
const fakeTrain = async (c: { width: number }) => ({ N: c.width * 100, D: 1000, valLoss: 3 / Math.log(c.width) });

describe("runSweep", () => {
  it("trains every run and saves machine, backend and results", async () => {
    const file = tmpFile();
    const sweep = await runSweep(runs, fakeTrain, { path: file, backend: "wasm" });
    expect(sweep.runs.map((r) => r.id)).toEqual(["n1", "n2", "n3", "n4"]);
    const saved = readSweep(file);
    expect(saved.backend).toBe("wasm");
    expect(saved.machine.cores).toBeGreaterThan(0);
    expect(saved.runs[1].N).toBe(3200);
  });

  it("resumes an interrupted sweep without redoing finished runs", async () => {
    const file = tmpFile();
    const controller = new AbortController();
    let trained = 0;
    await runSweep(
      runs,
      async (c) => {
        trained++;
        if (trained === 2) controller.abort();
        return fakeTrain(c);
      },
      { path: file, signal: controller.signal },
    );
    expect(readSweep(file).runs).toHaveLength(2);
    const seen: string[] = [];
    const statuses: string[] = [];
    await runSweep(
      runs,
      async (c, spec) => {
        seen.push(spec.id);
        return fakeTrain(c);
      },
      { path: file, onRun: (_r, status) => statuses.push(status) },
    );
    expect(seen).toEqual(["n3", "n4"]);
    expect(statuses).toEqual(["skipped", "skipped", "trained", "trained"]);
    expect(readSweep(file).runs).toHaveLength(4);
  });

  it("keeps finished runs when a run throws", async () => {
    const file = tmpFile();
    await expect(
      runSweep(
        runs,
        async (c) => {
          if (c.width === 48) throw new Error("boom");
          return fakeTrain(c);
        },
        { path: file },
      ),
    ).rejects.toThrow("boom");
    expect(readSweep(file).runs.map((r) => r.id)).toEqual(["n1", "n2"]);
  });

  it("rejects duplicate ids, NaN losses and damaged files", async () => {
    await expect(runSweep([runs[0], runs[0]], fakeTrain, { path: tmpFile() })).rejects.toThrow(/duplicate run id "n1"/);
    await expect(runSweep(runs, async () => ({ N: 1, D: 1, valLoss: Number.NaN }), { path: tmpFile() })).rejects.toThrow(/run "n1" returned valLoss = NaN/);
    const bad = tmpFile();
    fs.writeFileSync(bad, "{ not json");
    expect(() => readSweep(bad)).toThrow(/cannot read sweep results/);
    fs.writeFileSync(bad, JSON.stringify({ version: 2 }));
    expect(() => readSweep(bad)).toThrow(/is not a sweep results file/);
  });
});
