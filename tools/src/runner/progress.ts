/**
 * Progress lines of a headless run on stderr: `[3/12] cell 5 …` while a cell runs (with elapsed
 * seconds refreshed in place on a terminal) and `[3/12] cell 5 ok 2.3 s` when it ends.
 */
export interface ProgressReporter {
  /** A code cell starts: `k` of `total` code cells, at 1-based notebook position `cell`. */
  cellStart(k: number, total: number, cell: number): void;
  /** The cell ended with `status` after `seconds`. */
  cellEnd(k: number, total: number, cell: number, status: string, seconds: number): void;
  /** A free-form line (kernel start, output paths). */
  note(text: string): void;
}

/** Does nothing (the `quiet` option). */
export const silentProgress: ProgressReporter = { cellStart() {}, cellEnd() {}, note() {} };

/** Progress on `stream` (stderr by default); refreshes the running line each second on a TTY. */
export function streamProgress(stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  let timer: NodeJS.Timeout | undefined;
  const tty = stream.isTTY === true;
  const stopTimer = (): void => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  return {
    cellStart(k, total, cell) {
      stopTimer();
      const prefix = `[${k}/${total}] cell ${cell} …`;
      if (!tty) {
        stream.write(`${prefix}\n`);
        return;
      }
      const t0 = Date.now();
      stream.write(prefix);
      timer = setInterval(() => stream.write(`\r${prefix} ${((Date.now() - t0) / 1000).toFixed(0)} s`), 1000);
      timer.unref();
    },
    cellEnd(k, total, cell, status, seconds) {
      stopTimer();
      stream.write(`${tty ? "\r\x1b[K" : ""}[${k}/${total}] cell ${cell} ${status} ${seconds.toFixed(1)} s\n`);
    },
    note(text) {
      stopTimer();
      stream.write(`${text}\n`);
    },
  };
}
