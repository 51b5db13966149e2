import { availableParallelism } from "os";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import LessonsFirstSequencer from "./test/setup/sequencer";

/** kernel-lib's sources: unit tests load the library from here only, never from its built dist/. */
const KERNEL_LIB_SRC = fileURLToPath(new URL("./kernel-lib/src", import.meta.url));

// Two projects: fast unit/property tests of kernel-lib and tools sources, and end-to-end tests that start
// real tslab kernels and browsers. `npm test` runs the e2e project, then the unit project. Files run in two workers even on a 2-core machine (vitest's default there is
// one): the lesson notebooks, the longest chain of `npm test`, start first, in two files
// (notebooks-long.test.ts ends with the book of every lesson); the other e2e files follow. (More
// workers than that made tinypool end a worker that was still running a file.)
// Worker count and file parallelism are root-level options in vitest, not per-project ones.
export default defineConfig({
  test: {
    maxWorkers: Math.max(2, availableParallelism() - 1),
    sequence: { sequencer: LessonsFirstSequencer },
    // Each test file runs in a fresh module graph (vitest's isolation). `--no-isolate` makes the
    // unit files share a worker's modules, ≈ 5× faster, but a few depend on module state (the wasm
    // backend's thread count is fixed by its first initialisation), so it is for local runs only.
    // `--coverage` (CI runs the unit tests with it): a summary of the lines of kernel-lib and the
    // tools that the tests run, v8's own counters, no instrumentation.
    coverage: {
      provider: "v8",
      include: ["kernel-lib/src/**/*.ts", "tools/src/**/*.ts"],
      reporter: ["text-summary"],
    },
    projects: [
      {
        // The tools import the package (`kernel-lib/runtime`, `kernel-lib/lessons/params`); under the
        // unit tests those names lead to the sources too, so that no test process holds two copies.
        resolve: { alias: [{ find: /^kernel-lib(\/.*)?$/, replacement: `${KERNEL_LIB_SRC}$1` }] },
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // compiles kernel-lib's .wat kernels to the .wasm files the sources load
          globalSetup: ["test/setup/build-wasm.ts"],
          environment: "node",
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.test.ts"],
          environment: "node",
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
