import { execFileSync } from "node:child_process";
import * as path from "node:path";

// Unit tests import kernel-lib/src directly, and its kernels load the `.wasm` compiled from the
// `.wat` text beside them: compile them (quickly, every run) so that an edited `.wat` is tested.
// word2vec's worker threads run the built JavaScript (kernel-lib/dist/word2vec/worker.js), so
// kernel-lib is compiled too — incrementally (a few seconds when nothing changed), so that
// `npm run test:unit` on a fresh clone tests everything without a separate build.
// Every unit project names this setup; vitest runs them one after the other in its own process, so
// the later ones find the mark the first left and build nothing.
const BUILT = "LLM_LESSONS_UNIT_SETUP_BUILT";

export default function setup(): void {
  if (process.env[BUILT] === "1") return;
  const root = path.resolve(__dirname, "../..");
  execFileSync(process.execPath, [path.join(root, "kernel-lib/scripts/build-wasm.cjs"), "--quiet"], { stdio: "inherit" });
  execFileSync(
    process.execPath,
    [
      path.join(root, "node_modules/typescript/bin/tsc"),
      "-p",
      path.join(root, "kernel-lib/tsconfig.json"),
      "--incremental",
      "--tsBuildInfoFile",
      path.join(root, "kernel-lib/dist/.tsbuildinfo"),
    ],
    { stdio: "inherit" },
  );
  process.env[BUILT] = "1";
}
