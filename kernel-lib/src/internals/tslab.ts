/**
 * tslab's private module `tslab/dist/jupyter`, the one reach into tslab's internals. Its
 * `lastWriteDisplayData` is the function that sends a `display_data` message for the cell that is
 * running (null outside a cell). tslab's public `display.raw` sends one MIME type per output; the
 * charts need several at once (`text/html` and `text/plain`) and in-place updates by display id.
 *
 * Shape relied on (tslab TSLAB_PINNED): `require("tslab/dist/jupyter").lastWriteDisplayData` is an
 * own property, null or `(data: { data, metadata, transient }, update: boolean) => void`.
 * test/unit/internals/tslab.test.ts fails, naming the pinned version, when that changes.
 */
import { readFileSync } from "fs";
import { dirname } from "path";

/** The tslab version this module was written against (kernel-lib/package.json pins the same). */
export const TSLAB_PINNED = "1.0.22";

export type DisplayBundle = Record<string, unknown>;

export type WriteDisplayData = (data: { data: DisplayBundle; metadata: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => void;

export interface TslabJupyter {
  lastWriteDisplayData: WriteDisplayData | null;
}

/** `tslab/dist/jupyter` as loaded in this process; null when tslab is not installed. */
export function tslabJupyter(): TslabJupyter | null {
  try {
    return require("tslab/dist/jupyter") as TslabJupyter;
  } catch {
    return null;
  }
}

/** The display writer of the cell running now, or null (no kernel, or no cell running). */
export function tslabDisplayWriter(): WriteDisplayData | null {
  return tslabJupyter()?.lastWriteDisplayData ?? null;
}

/** The installed tslab's version, or null when it cannot be read. */
export function tslabVersion(): string | null {
  try {
    const pkg = require.resolve("tslab/package.json");
    return (JSON.parse(readFileSync(pkg, "utf8")) as { version?: string }).version ?? null;
  } catch {
    return null;
  }
}

/** The folder of the installed tslab package (its own dependencies resolve from there). */
export function tslabDir(): string {
  return dirname(require.resolve("tslab/package.json"));
}

/** What no longer matches the shape this module relies on; empty when all is well. */
export function tslabShapeProblems(): string[] {
  const problems: string[] = [];
  const version = tslabVersion();
  const jupyter = tslabJupyter();
  if (jupyter === null) {
    problems.push('require("tslab/dist/jupyter") failed: the module moved or tslab is not installed');
  } else if (!Object.hasOwn(jupyter, "lastWriteDisplayData")) {
    problems.push("tslab/dist/jupyter no longer exports lastWriteDisplayData");
  } else {
    const w = jupyter.lastWriteDisplayData as unknown;
    if (w !== null && typeof w !== "function") problems.push(`lastWriteDisplayData is a ${typeof w}, not null or a function`);
  }
  return problems.map((p) => `tslab ${version ?? "(version unknown)"} (kernel-lib/src/internals/tslab.ts is written for ${TSLAB_PINNED}): ${p}`);
}
