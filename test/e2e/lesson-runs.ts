/**
 * The lesson notebooks' end-to-end runs, shared by the two files that run them side by side:
 * notebooks-long.test.ts (the three longest lessons, then the book of every lesson) and
 * notebooks.test.ts (every other lesson). Each notebook runs in fast mode through the headless
 * runner (the real tslab kernel), one notebook per test, in order; after a successful run its
 * expectations file `test/e2e/expectations/<NAME>.ts` checks its metrics and outputs (see the
 * README there). Needs the built package: `npm run build` first.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Notebook, sourceText } from "../../tools/src/runner/nbformat";
import { RunResult, notebookName, runNotebook } from "../../tools/src/runner/runner";
import { missingTool } from "./browser-setup";
import { cli } from "./cli";
import { checkPages } from "./static-pages";

const root = join(__dirname, "..", "..");
const notebooksDir = join(root, "notebooks");
const outDir = join(root, "build", "e2e");
const expectationsDir = join(__dirname, "expectations");

/** The lessons notebooks-long.test.ts runs (≈ half of the notebooks' time); notebooks.test.ts runs the rest. */
export const LONG_LESSONS = ["04-mini-gpt", "06-post-training", "07-grokking"];

/** Every notebook file in notebooks/, sorted. */
export function allNotebooks(): string[] {
  return existsSync(notebooksDir)
    ? readdirSync(notebooksDir)
        .filter((f) => f.endsWith(".ipynb"))
        .sort()
    : [];
}

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

/** One test per notebook of `files`, in order, each run in fast mode and held to its expectations. */
export function describeLessonRuns(title: string, files: readonly string[]): void {
  describe(title, () => {
    it("the built kernel-lib exists (notebooks import it)", () => {
      expect(existsSync(join(root, "kernel-lib", "dist", "index.js")), "run `npm run build` first").toBe(true);
      if (files.length === 0) console.warn(`no notebooks in ${notebooksDir} yet`);
    });

    for (const file of files) {
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
}

/**
 * While notebooks.test.ts runs its lessons it keeps a marker (its process id) in build/e2e; the
 * book waits for it to go, so that it reuses every lesson rather than running the missing ones again.
 */
const MARKER = join(outDir, ".notebooks-running");

/** Call in the file whose lessons the book waits for. */
export function markLessonsRunning(): void {
  beforeAll(() => {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(MARKER, String(process.pid));
  });
  afterAll(() => rmSync(MARKER, { force: true }));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resolves when no other file is running lessons (a marker left by a process that died counts as none), or after `limitMs`. */
async function lessonsDone(limitMs: number): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end && existsSync(MARKER)) {
    const pid = Number(readFileSync(MARKER, "utf8"));
    if (!(pid > 0) || !alive(pid)) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The book (`llm-lessons book`) of every lesson, from the notebooks just run, opened page by page offline in headless Chromium. */
export function describeBook(): void {
  const missingBrowser = missingTool({});
  describe.skipIf(missingBrowser !== null)(`the book of the lessons just run${missingBrowser ? ` (skipped: ${missingBrowser})` : ""}`, () => {
    it("every lesson, reusing build/e2e: every page opens offline and every chart draws", { timeout: 1_800_000 }, async () => {
      await lessonsDone(1_200_000);
      const site = join(mkdtempSync(join(tmpdir(), "book-e2e-")), "site");
      const r = await cli(["book", "--mode", "fast", "--from", outDir, "--out", site, "--timeout", "300", "--quiet"]);
      expect(r.code, r.stderr).toBe(0);
      const lessons = allNotebooks().map((f) => f.replace(/\.ipynb$/, ""));
      const pages = [join(site, "index.html"), ...lessons.map((l) => join(site, `${l}.html`))];
      const checks = await checkPages(pages);
      for (const c of checks) {
        expect(c.errors, c.file).toEqual([]);
        expect(c.outside, c.file).toEqual([]);
        expect(c.drawn, `${c.file}: ${c.drawn} of ${c.charts} charts drew`).toBe(c.charts);
      }
      expect(checks.slice(1).reduce((n, c) => n + c.charts, 0)).toBeGreaterThan(lessons.length);
    });
  });
}
