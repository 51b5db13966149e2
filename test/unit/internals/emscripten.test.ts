/**
 * The shape of @tensorflow/tfjs-backend-wasm's Emscripten internals that internals/emscripten.ts
 * relies on. Every failure names the pinned version: a new package version that moves or renames
 * one of these parts fails here, not silently in a lesson (which would fall back to one thread).
 */
import * as fs from "node:fs";
import { describe, expect, it } from "vitest";
import {
  EMSCRIPTEN_PINNED,
  TFJS_BRIDGE,
  checkModuleShape,
  pthreadWorkerSource,
  shapeError,
  startThreadedModule,
  threadedBuildFiles,
  threadedFactory,
} from "../../../kernel-lib/src/internals/emscripten";

const PINNED = `${EMSCRIPTEN_PINNED.package} ${EMSCRIPTEN_PINNED.version}`;
/** The assertion message: what changed, and the version the internals were written against. */
const because = (what: string) => `${what} — internals/emscripten.ts is written against ${PINNED}; re-check it for the installed version`;

describe(`Emscripten internals of ${PINNED}`, () => {
  it("the installed package is the pinned version", () => {
    const installed = (require(`${EMSCRIPTEN_PINNED.package}/package.json`) as { version: string }).version;
    expect(installed, because(`installed ${EMSCRIPTEN_PINNED.package} is ${installed}`)).toBe(EMSCRIPTEN_PINNED.version);
  });

  it("the threaded build's glue, binary and worker script are where the pinned version keeps them", () => {
    const files = threadedBuildFiles();
    for (const file of Object.values(files)) expect(fs.existsSync(file), because(`${file} is missing`)).toBe(true);
    expect(typeof threadedFactory(files), because("the glue no longer exports a module factory")).toBe("function");
    const worker = pthreadWorkerSource(files);
    expect(worker, because("the worker script no longer loads the glue through importScripts")).toMatch(/importScripts/);
  });

  it("the glue reads the core count from os.cpus(), keeps PThread's worker lists and exports the bridge's C functions", () => {
    const glue = fs.readFileSync(threadedBuildFiles().glue, "utf8");
    expect(glue, because("the glue no longer reads the core count from os.cpus()")).toContain('require("os").cpus().length');
    expect(glue, because("PThread no longer starts with unusedWorkers and runningWorkers")).toContain("PThread={unusedWorkers:[],runningWorkers:[]");
    for (const [cName] of Object.values(TFJS_BRIDGE)) {
      expect(glue, because(`the glue no longer exports _${cName}`)).toContain(`Module["_${cName}"]`);
    }
  });

  it("the started module has cwrap, PThread's worker lists and the bridge, and settles its pool", async () => {
    const started = await startThreadedModule(2);
    try {
      expect(() => checkModuleShape(started.module)).not.toThrow();
      for (const name of Object.keys(TFJS_BRIDGE)) {
        expect(typeof started.module.tfjs?.[name], because(`module.tfjs.${name} was not wrapped`)).toBe("function");
      }
      const pool = started.module.PThread.unusedWorkers.length + started.module.PThread.runningWorkers.length;
      expect(pool, because("PThread no longer pre-starts its worker pool")).toBeGreaterThan(0);
    } finally {
      started.settle();
    }
  });

  it("a changed module fails loudly, naming the pinned version", () => {
    expect(() => checkModuleShape({ cwrap: () => 0 })).toThrow(/PThread.*written against @tensorflow\/tfjs-backend-wasm 4\.22\.0, installed/);
    expect(() => checkModuleShape(null)).toThrow(/no cwrap/);
    expect(shapeError("x").message).toMatch(
      /^x — kernel-lib\/src\/internals\/emscripten\.ts is written against @tensorflow\/tfjs-backend-wasm 4\.22\.0, installed 4\.22\.0$/,
    );
  });
});
