/** Small formatters for progress output: durations, rates and metric values. */

/** Seconds as m:ss or h:mm:ss ("0:07", "12:05", "1:02:03"); "?" when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h > 0 ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

/** Steps per second as "12.3 it/s", or "4.1 s/it" when slower than one step a second. */
export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return "? it/s";
  if (perSecond < 1) return `${(1 / perSecond).toPrecision(3)} s/it`;
  return perSecond >= 1000 ? `${Math.round(perSecond).toLocaleString("en-US")} it/s` : `${perSecond.toPrecision(3)} it/s`;
}

/** A metric value for a status line: integers as they are, other numbers with 4 significant digits. */
export function formatValue(v: string | number): string {
  if (typeof v === "string") return v;
  if (!Number.isFinite(v)) return String(v);
  return Number.isInteger(v) ? String(v) : v.toPrecision(4);
}

/** Limits how often something runs: `ready()` is true at most once per `everyMs`. */
export class Throttle {
  private last = -Infinity;
  constructor(
    readonly everyMs: number,
    private readonly now: () => number = () => Date.now(),
  ) {
    if (!(everyMs >= 0)) throw new RangeError(`everyMs must be a number >= 0, got ${everyMs}`);
  }
  /** True (and restarts the clock) when at least `everyMs` passed since the last true. */
  ready(): boolean {
    const t = this.now();
    if (t - this.last >= this.everyMs) {
      this.last = t;
      return true;
    }
    return false;
  }
}
