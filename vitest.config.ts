import { availableParallelism } from "os";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { configDefaults, defineConfig } from "vitest/config";
import LessonsFirstSequencer from "./test/setup/sequencer";

/** kernel-lib's sources: unit tests load the library from here only, never from its built dist/. */
const KERNEL_LIB_SRC = fileURLToPath(new URL("./kernel-lib/src", import.meta.url));

/**
 * Unit files that need modules of their own, each its own project (vitest starts every project in
 * fresh workers): the WebGPU backend registers itself with tfjs once, when its package is first
 * loaded, and a backend test before it may have removed it; the backend-choice tests check what
 * the first initialisation of a process picks (the wasm build's thread count is fixed then).
 */
const OWN_MODULES = ["test/unit/tf/webgpu.test.ts", "test/unit/tf/backend.test.ts"];

/** What every unit project shares. */
const unit = {
  // The tools import the package (`kernel-lib/runtime`, `kernel-lib/lessons/params`); under the
  // unit tests those names lead to the sources too, so that no test process holds two copies.
  resolve: { alias: [{ find: /^kernel-lib(\/.*)?$/, replacement: `${KERNEL_LIB_SRC}$1` }] },
  test: {
    // compiles kernel-lib's .wat kernels to the .wasm files the sources load
    globalSetup: ["test/setup/build-wasm.ts"],
    environment: "node" as const,
    testTimeout: 60_000,
  },
};

// Two projects: fast unit/property tests of kernel-lib and tools sources, and end-to-end tests that start
// real tslab kernels and browsers. `npm test` runs the e2e project, then the unit projects. Files run in two workers even on a 2-core machine (vitest's default there is
// one): the lesson notebooks, the longest chain of `npm test`, start first, in two files
// (notebooks-long.test.ts ends with the book of every lesson); the other e2e files follow. (More
// workers than that made tinypool end a worker that was still running a file.)
// Worker count and file parallelism are root-level options in vitest, not per-project ones.
export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LessonsFirstSequencer },
    // The e2e files each run in a fresh module graph (vitest's isolation). The unit projects run
    // with `--no-isolate` (package.json): their files share a worker's modules, so tfjs and
    // kernel-lib load once per worker, not once per file; vitest gives each project its own workers.
    // `--coverage` (CI runs the unit tests with it): a summary of the lines of kernel-lib and the
    // tools that the tests run, v8's own counters, no instrumentation.
    coverage: {
      provider: "v8",
      include: ["kernel-lib/src/**/*.ts", "tools/src/**/*.ts"],
      reporter: ["text-summary"],
    },
    projects: [
      {
        ...unit,
        test: {
          ...unit.test,
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          exclude: [...configDefaults.exclude, ...OWN_MODULES],
        },
      },
      // unit-own-webgpu, unit-own-backend
      ...OWN_MODULES.map((file) => ({
        ...unit,
        test: { ...unit.test, name: `unit-own-${basename(file, ".test.ts")}`, include: [file] },
      })),
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          // Two workers share the cores, each with a kernel: one OpenBLAS thread per kernel. Two
          // lessons side by side, each with OpenBLAS's default of one thread per core, took 123 s
          // here against 71 s with one (their threads wait on each other).
          env: { OPENBLAS_NUM_THREADS: process.env.OPENBLAS_NUM_THREADS ?? "1" },
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
