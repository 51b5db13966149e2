/**
 * A progress bar for long loops: in the notebook one HTML output updated in place (at most five
 * times a second, so updates never slow the loop), in a terminal a `cli-progress` bar on stderr,
 * and in logs (stderr not a terminal) one line every 10 % or every few seconds.
 */
import { inKernel, UpdatableDisplay } from "../runtime/kernel-display";
import { formatDuration, formatRate, formatValue, Throttle } from "./format";
import { escapeHtml } from "./html";

/** Caller-supplied values shown next to the bar, e.g. `{ loss: 2.31 }`. */
export type ProgressInfo = Record<string, string | number>;

/** What `progressBar` returns. */
export interface ProgressBar {
  /** Advance by n steps (default 1) and optionally replace the info shown. */
  tick(n?: number, info?: ProgressInfo): void;
  /** Draw the final state (always) and stop updating. */
  done(): void;
}

/** A snapshot of a bar's state, turned into text or HTML by the functions below. */
export interface ProgressState {
  label: string;
  count: number;
  total: number;
  elapsedSeconds: number;
  info: ProgressInfo;
  finished: boolean;
}

function numbers(s: ProgressState): { pct: number; rate: number; eta: number } {
  const pct = s.total > 0 ? Math.min(1, s.count / s.total) : 1;
  const rate = s.elapsedSeconds > 0 ? s.count / s.elapsedSeconds : NaN;
  const eta = s.finished ? 0 : rate > 0 ? (s.total - s.count) / rate : NaN;
  return { pct, rate, eta };
}

function infoText(info: ProgressInfo): string {
  return Object.entries(info)
    .map(([k, v]) => `${k}=${formatValue(v)}`)
    .join(" ");
}

/** The bar as one line of text: `train [#####.....] 50/100 50% 12.3 it/s 0:04<0:04 loss=2.310`. */
export function progressText(s: ProgressState, width = 20): string {
  const { pct, rate, eta } = numbers(s);
  const filled = Math.round(pct * width);
  const bar = "#".repeat(filled) + ".".repeat(width - filled);
  const time = s.finished ? `${formatDuration(s.elapsedSeconds)} total` : `${formatDuration(s.elapsedSeconds)}<${formatDuration(eta)}`;
  const info = infoText(s.info);
  return `${s.label} [${bar}] ${s.count}/${s.total} ${Math.floor(pct * 100)}% ${formatRate(rate)} ${time}${info ? " " + info : ""}${s.finished && s.count < s.total ? " (stopped early)" : ""}`;
}

/** The bar as HTML: label, a coloured bar, count/total, rate, elapsed, ETA and the info values. */
export function progressHtml(s: ProgressState): string {
  const { pct, rate, eta } = numbers(s);
  const colour = s.finished ? (s.count >= s.total ? "#009E73" : "#E69F00") : "#0072B2";
  const time = s.finished ? `${formatDuration(s.elapsedSeconds)} total` : `${formatDuration(s.elapsedSeconds)} elapsed · ETA ${formatDuration(eta)}`;
  const info = Object.entries(s.info)
    .map(([k, v]) => `<b>${escapeHtml(k)}</b>=${escapeHtml(formatValue(v))}`)
    .join(" ");
  return (
    `<div class="llm-lessons-progress" style="font-family:monospace;font-size:13px;display:flex;align-items:center;gap:8px;flex-wrap:wrap">` +
    `<span>${escapeHtml(s.label)}</span>` +
    `<span style="display:inline-block;width:240px;height:12px;background:#e6e6e6;border-radius:3px;overflow:hidden">` +
    `<span style="display:block;height:100%;width:${(pct * 100).toFixed(1)}%;background:${colour}"></span></span>` +
    `<span>${s.count}/${s.total} (${Math.floor(pct * 100)}%)</span>` +
    `<span>${escapeHtml(formatRate(rate))}</span><span>${escapeHtml(time)}</span>` +
    (info ? `<span>${info}</span>` : "") +
    `</div>`
  );
}

/** Options of `progressBar` (mostly for tests). */
export interface ProgressOptions {
  /** Minimum time between redraws in ms (default 200, i.e. at most 5 updates a second). */
  everyMs?: number;
  /** Clock in ms (default Date.now). */
  now?: () => number;
  /** Where plain-text lines go outside a kernel when stderr is not a terminal. */
  write?: (line: string) => void;
}

/** A progress bar over `total` steps, labelled `label`. */
export function progressBar(total: number, label: string, opts: ProgressOptions = {}): ProgressBar {
  if (!Number.isInteger(total) || total < 0) throw new RangeError(`progressBar: total must be an integer >= 0, got ${total}`);
  const now = opts.now ?? (() => Date.now());
  const start = now();
  const state: ProgressState = { label: String(label), count: 0, total, elapsedSeconds: 0, info: {}, finished: false };
  const throttle = new Throttle(opts.everyMs ?? 200, now);
  const snap = () => {
    state.elapsedSeconds = (now() - start) / 1000;
    return state;
  };

  if (inKernel()) {
    const display = new UpdatableDisplay();
    const draw = () => {
      const s = snap();
      display.update({ "text/html": progressHtml(s), "text/plain": progressText(s) });
    };
    draw();
    return {
      tick(n = 1, info) {
        if (state.finished) return;
        state.count = Math.min(total, state.count + n);
        if (info) state.info = { ...info };
        if (throttle.ready()) draw();
      },
      done() {
        if (state.finished) return;
        state.finished = true;
        draw();
      },
    };
  }
  if (opts.write === undefined && process.stderr.isTTY) return terminalBar(total, state, snap);
  return logBar(state, snap, opts.write ?? ((line) => process.stderr.write(line + "\n")), now);
}

function terminalBar(total: number, state: ProgressState, snap: () => ProgressState): ProgressBar {
  const cliProgress = require("cli-progress") as typeof import("cli-progress");
  const bar = new cliProgress.SingleBar(
    {
      format: `${state.label} [{bar}] {value}/{total} {percentage}% {rate} {duration_formatted}<{eta_formatted} {info}`,
      stream: process.stderr,
      fps: 5,
      hideCursor: true,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = () => {
    const s = snap();
    return { rate: formatRate(s.elapsedSeconds > 0 ? s.count / s.elapsedSeconds : NaN), info: infoText(s.info) };
  };
  bar.start(total, 0, payload());
  return {
    tick(n = 1, info) {
      if (state.finished) return;
      state.count = Math.min(total, state.count + n);
      if (info) state.info = { ...info };
      bar.update(state.count, payload());
    },
    done() {
      if (state.finished) return;
      state.finished = true;
      bar.update(state.count, payload());
      bar.stop();
    },
  };
}

function logBar(state: ProgressState, snap: () => ProgressState, write: (line: string) => void, now: () => number): ProgressBar {
  let lastDecile = 0;
  let lastTime = now();
  return {
    tick(n = 1, info) {
      if (state.finished) return;
      state.count = Math.min(state.total, state.count + n);
      if (info) state.info = { ...info };
      const decile = state.total > 0 ? Math.floor((10 * state.count) / state.total) : 10;
      const t = now();
      if ((decile > lastDecile && decile < 10) || t - lastTime >= 5000) {
        lastDecile = Math.max(lastDecile, decile);
        lastTime = t;
        write(progressText(snap()));
      }
    },
    done() {
      if (state.finished) return;
      state.finished = true;
      write(progressText(snap()));
    },
  };
}
