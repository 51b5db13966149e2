/** `llm-lessons doctor` on this machine: every check that a learner needs passes (smoke run skipped: the notebook tests cover it). */
import { spawnSync } from "child_process";
import { join } from "path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "..", "..");

describe("llm-lessons doctor", () => {
  it("passes here, as JSON", () => {
    const r = spawnSync(process.execPath, [join(root, "tools/bin/llm-lessons.js"), "doctor", "--json", "--no-smoke"], {
      cwd: root,
      encoding: "utf8",
      timeout: 300_000,
    });
    const report = JSON.parse(r.stdout);
    const failed = report.checks.filter((c: { status: string }) => c.status === "fail");
    expect(failed, JSON.stringify(failed)).toEqual([]);
    expect(r.status).toBe(0);
    expect(report.checks.map((c: { id: string }) => c.id)).toEqual(
      expect.arrayContaining(["node", "install", "jupyter", "kernelspec", "kernel", "tfjs", "blas", "corpora", "disk", "memory"]),
    );
  });
});
