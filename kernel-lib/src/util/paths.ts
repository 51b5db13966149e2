import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The first existing `rel` (a path relative to the project root, e.g. "checkpoints/x.safetensors")
 * found walking up from this library's folder, then from the working directory; null if none.
 * Works from kernel-lib/src (tests), kernel-lib/dist (notebooks, CLI) and any cwd.
 */
export function findProjectFile(rel: string): string | null {
  for (const start of [__dirname, process.cwd()]) {
    let dir = start;
    for (;;) {
      const candidate = path.join(dir, rel);
      if (fs.existsSync(candidate)) return candidate;
      const up = path.dirname(dir);
      if (up === dir) break;
      dir = up;
    }
  }
  return null;
}
