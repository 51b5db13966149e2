/**
 * Every lesson notebook runs end to end in fast mode through the headless runner (the real tslab
 * kernel), one notebook per test, in order. After a successful run the notebook's expectations
 * file `test/e2e/expectations/<NAME>.ts` checks its metrics and outputs (see the README there).
 * Needs the built package: `npm run build` first.
 */
import { existsSync, readFileSync, readdirSync } from "fs";
import { join } from "path";
import { describe, expect, it } from "vitest";
import { type Notebook, sourceText } from "../../tools/src/runner/nbformat";
import { RunResult, notebookName, runNotebook } from "../../tools/src/runner/runner";

const root = join(__dirname, "..", "..");
const notebooksDir = join(root, "notebooks");
const outDir = join(root, "build", "e2e");
const expectationsDir = join(__dirname, "expectations");

const notebooks = existsSync(notebooksDir)
  ? readdirSync(notebooksDir)
      .filter((f) => f.endsWith(".ipynb"))
      .sort()
  : [];

/**
 * A checker prints one ✓ line and returns nothing (kernel-lib/src/util/checker.ts). tslab echoes a
 * cell's last value as a line of its own, so a checker that returned its line would show it twice
 * and one that returned `true` would show "true": neither may appear in any cell.
 */
function expectCheckerLinesOnce(file: string, executed: Notebook): void {
  executed.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const lines = (cell.outputs ?? []).flatMap((o) => (o.output_type === "stream" ? sourceText(o.text).split("\n") : []));
    const ticks = lines.filter((line) => line.startsWith("✓ "));
    for (const line of new Set(ticks)) expect(ticks.filter((t) => t === line).length, `${file} cell ${index} shows "${line}" more than once`).toBe(1);
    if (/\bcheck[A-Z]\w*\(/.test(sourceText(cell.source))) expect(lines, `${file} cell ${index} echoes a checker's return value`).not.toContain("true");
  });
}

/** The contract of an expectations module. */
interface Expectations {
  check(result: RunResult, executed: Notebook): void;
}

describe("lesson notebooks in fast mode", () => {
  it("the built kernel-lib exists (notebooks import it)", () => {
    expect(existsSync(join(root, "kernel-lib", "dist", "index.js")), "run `npm run build` first").toBe(true);
    if (notebooks.length === 0) console.warn(`no notebooks in ${notebooksDir} yet`);
  });

  for (const file of notebooks) {
    const name = notebookName(file);
    it(`${file} runs with mode="fast" and meets its expectations`, { timeout: 900_000 }, async () => {
      const result = await runNotebook(join(notebooksDir, file), {
        params: { mode: "fast" },
        outDir,
        timeoutSeconds: 300,
        quiet: !process.env.LLM_LESSONS_E2E_PROGRESS,
      });
      expect(result.ok, `cell ${result.failedCell} of ${file} failed (executed notebook: ${result.notebookPath}):\n${result.error}`).toBe(true);
      const expectationsFile = join(expectationsDir, `${name}.ts`);
      if (!existsSync(expectationsFile)) {
        throw new Error(
          `${file} ran, but it has no expectations: add test/e2e/expectations/${name}.ts exporting ` +
            "`check(result: RunResult, executed: Notebook): void` that asserts its key metrics (see test/e2e/expectations/README.md)",
        );
      }
      const mod = (await import(expectationsFile)) as Partial<Expectations>;
      if (typeof mod.check !== "function") throw new Error(`${expectationsFile} must export a function check(result, executed)`);
      const executed = JSON.parse(readFileSync(result.notebookPath, "utf8")) as Notebook;
      mod.check(result, executed);
      expectCheckerLinesOnce(file, executed);
    });
  }
});
