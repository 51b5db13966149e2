/**
 * kernel-lib's entry points: the barrel ("kernel-lib") and a subpath per topic and for the lessons
 * ("kernel-lib/gpt", "kernel-lib/lessons", "kernel-lib/lessons/params", …), each a module of the
 * sources that the barrel re-exports; the lesson glue in one folder per notebook; and one import
 * path under the unit tests (the sources, never the built dist/ beside them).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import * as barrel from "../../../kernel-lib/src";
import { LESSON_PARAMS } from "../../../kernel-lib/src/lessons/params";
import { notebookNames } from "./cell-lines";

const LIB = path.resolve(__dirname, "../../../kernel-lib");
const pkg = JSON.parse(fs.readFileSync(path.join(LIB, "package.json"), "utf8")) as {
  exports: Record<string, string | { types: string; default: string }>;
  typesVersions: { "*": Record<string, string[]> };
};
const subpaths = Object.keys(pkg.exports).filter((k) => k !== "." && k !== "./package.json");
const TOPICS = ["text", "bow", "word2vec", "attention", "gpt", "scaling", "posttrain", "grokking"];

describe("subpath exports", () => {
  it("has one per topic, for the lessons and their parameters, beside the runtime and charts", () => {
    for (const s of [...TOPICS, "lessons", "lessons/params", "runtime", "charts", "tf", "util"]) expect(subpaths).toContain(`./${s}`);
  });

  for (const sub of subpaths) {
    it(`${sub} points at a built module of the sources and re-exports nothing the barrel lacks`, async () => {
      const target = pkg.exports[sub] as { types: string; default: string };
      const rel = target.default.replace(/^\.\/dist\//, "").replace(/\.js$/, "");
      expect(target.types).toBe(`./dist/${rel}.d.ts`);
      expect(pkg.typesVersions["*"][sub.slice(2)]).toEqual([`dist/${rel}.d.ts`]);
      expect(fs.existsSync(path.join(LIB, "src", `${rel}.ts`)), `src/${rel}.ts`).toBe(true);
      // the package name resolves (to the sources under the unit tests), and the barrel holds the very same values
      const mod = (await import(/* @vite-ignore */ `kernel-lib/${sub.slice(2)}`)) as Record<string, unknown>;
      const names = Object.keys(mod).filter((n) => n !== "default" && n !== "__esModule");
      expect(names.length).toBeGreaterThan(0);
      for (const n of names) expect((barrel as Record<string, unknown>)[n], `${sub}: ${n}`).toBe(mod[n]);
    });
  }
});

describe("each lesson's glue in one home", () => {
  it("every notebook has its folder under kernel-lib/src/lessons/ and its declaration", () => {
    const folders = fs
      .readdirSync(path.join(LIB, "src", "lessons"), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => d.name)
      .sort();
    expect(folders).toEqual(notebookNames());
    for (const f of folders) expect(fs.existsSync(path.join(LIB, "src", "lessons", f, "index.ts")), f).toBe(true);
    expect(Object.keys(LESSON_PARAMS).sort()).toEqual(folders);
  });

  it("topic folders hold mechanisms only: no presets, lesson, exercises or checkers files", () => {
    for (const t of TOPICS) {
      const glue = fs.readdirSync(path.join(LIB, "src", t)).filter((f) => /^(presets|lesson|exercises|checkers|params)\.ts$/.test(f));
      expect(glue, t).toEqual([]);
    }
  });

  it("no notebook keeps TypeScript beside it: notebooks import everything from kernel-lib", () => {
    const dir = path.resolve(LIB, "../notebooks");
    const stray = fs.readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    expect(stray).toEqual([]);
    for (const nb of notebookNames()) expect(fs.readFileSync(path.join(dir, `${nb}.ipynb`), "utf8"), nb).not.toMatch(/from \\"\.\//);
  });
});

describe("one import path under the unit tests", () => {
  it("no unit test imports the built library or a notebook folder (child processes a test starts may load dist/)", () => {
    const root = path.resolve(__dirname, "..");
    const files = fs.readdirSync(root, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".ts"));
    const bad = files.filter((f) => /(from |import\()"[^"]*(kernel-lib\/dist|notebooks\/)[^"]*"/.test(fs.readFileSync(path.join(root, f), "utf8")));
    expect(bad).toEqual([]);
  });

  it("the package names lead to the same modules as the source paths", async () => {
    const viaPackage = await import("kernel-lib/lessons/params");
    expect(viaPackage.LESSON_PARAMS).toBe(LESSON_PARAMS);
    const runtime = await import("kernel-lib/runtime");
    expect(runtime.resolveParams).toBe(barrel.resolveParams);
  });
});
