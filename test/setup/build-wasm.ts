import { execFileSync } from "node:child_process";
import * as path from "node:path";

// Unit tests import kernel-lib/src directly, and its kernels load the `.wasm` compiled from the
// `.wat` text beside them: compile them (quickly, every run) so that an edited `.wat` is tested.
export default function setup(): void {
  execFileSync(process.execPath, [path.resolve(__dirname, "../../kernel-lib/scripts/build-wasm.cjs"), "--quiet"], {
    stdio: "inherit",
  });
}
