import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/** kernel-lib's sources: unit tests load the library from here only, never from its built dist/. */
const KERNEL_LIB_SRC = fileURLToPath(new URL("./kernel-lib/src", import.meta.url));

// Two projects: fast unit/property tests of kernel-lib and tools sources, and end-to-end tests that start
// real tslab kernels and browsers (run one file at a time: the machine has 2 cores). File
// parallelism is a root-level option in vitest, not a per-project one.
export default defineConfig({
  test: {
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
