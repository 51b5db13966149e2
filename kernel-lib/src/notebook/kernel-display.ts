/**
 * The bridge to the notebook front end. Inside the tslab kernel, rich outputs are sent as Jupyter
 * `display_data` messages carrying several MIME types at once (tslab's public `display.raw` sends
 * only one). Outside a kernel (tests, the command line) `inKernel()` is false and callers fall back
 * to plain text on stdout/stderr.
 */
import { installSendQueue } from "./send-queue";

export type MimeBundle = Record<string, unknown>;

/** True in the tslab kernel process (`tslab kernel --config-path …`). */
const IN_TSLAB_PROCESS = process.argv.includes("kernel") && process.argv.some((a) => /[\\/]tslab([\\/]|$)/.test(a));
if (IN_TSLAB_PROCESS) installSendQueue();

interface TslabJupyter {
  lastWriteDisplayData:
    | ((data: { data: MimeBundle; metadata: Record<string, unknown>; transient: { display_id?: string } }, update: boolean) => void)
    | null;
}

function tslabJupyter(): TslabJupyter | null {
  try {
    return require("tslab/dist/jupyter") as TslabJupyter;
  } catch {
    return null;
  }
}

/** True when this code runs inside a tslab kernel that is executing a cell. */
export function inKernel(): boolean {
  return tslabJupyter()?.lastWriteDisplayData != null;
}

let displayCounter = 0;

/** Send one output with several representations; returns false when there is no kernel. */
export function sendDisplay(bundle: MimeBundle, options: { displayId?: string; update?: boolean } = {}): boolean {
  const write = tslabJupyter()?.lastWriteDisplayData;
  if (write == null) return false;
  write({ data: bundle, metadata: {}, transient: options.displayId ? { display_id: options.displayId } : {} }, options.update ?? false);
  return true;
}

/**
 * An output that can be replaced in place (progress bars, live charts). Outside a kernel `update`
 * calls `fallback` with the plain-text representation, if any.
 */
export class UpdatableDisplay {
  readonly id = `llm-lessons-${process.pid}-${++displayCounter}-${Date.now().toString(36)}`;
  private shown = false;

  constructor(private readonly fallback?: (text: string) => void) {}

  update(bundle: MimeBundle): void {
    const sent = sendDisplay(bundle, { displayId: this.id, update: this.shown });
    if (sent) {
      this.shown = true;
    } else if (this.fallback && typeof bundle["text/plain"] === "string") {
      this.fallback(bundle["text/plain"] as string);
    }
  }
}
