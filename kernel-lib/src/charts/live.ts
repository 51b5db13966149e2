/**
 * A chart that grows while a loop runs (loss curves during training). In the notebook it is one
 * output redrawn in place at most every `everyMs`; `done()` always draws the final state. Outside
 * a kernel it stays quiet and `done()` prints one summary line.
 */
import { inKernel, UpdatableDisplay } from "../runtime/kernel-display";
import { lineChart } from "./builders";
import type { Figure } from "./figure";
import { Throttle, formatValue } from "./format";
import { figureBundle, loadPlotly } from "./show";
import type { ChartOptions } from "./theme";

/** Options of `liveChart`. */
export interface LiveChartOptions extends ChartOptions {
  /** The series names, in legend order. */
  series: string[];
  /** Minimum time between redraws in ms (default 500). */
  everyMs?: number;
  /** Points per series kept for drawing (older points are thinned; default 2000). */
  maxPoints?: number;
  /** Clock in ms (default Date.now; for tests). */
  now?: () => number;
}

/** What `liveChart` returns. */
export interface LiveChart {
  /** Add a point to a series; redraws when enough time has passed. */
  push(series: string, x: number, y: number): void;
  /** Draw the final chart and stop. */
  done(): void;
  /** The chart as it is now. */
  figure(): Figure;
}

/** Keep at most `max` points: every k-th point plus the last one. */
export function thin(x: number[], y: number[], max: number): { x: number[]; y: number[] } {
  if (x.length <= max) return { x: x.slice(), y: y.slice() };
  const step = Math.ceil(x.length / max);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < x.length; i += step) {
    xs.push(x[i]);
    ys.push(y[i]);
  }
  if (xs[xs.length - 1] !== x[x.length - 1]) {
    xs.push(x[x.length - 1]);
    ys.push(y[y.length - 1]);
  }
  return { x: xs, y: ys };
}

/** A line chart updated in place while points arrive. */
export function liveChart(opts: LiveChartOptions): LiveChart {
  if (!opts || !Array.isArray(opts.series) || opts.series.length === 0) throw new RangeError("liveChart: series must be a non-empty array of names");
  const { series, everyMs = 500, maxPoints = 2000, now, ...chartOpts } = opts;
  const data = new Map<string, { x: number[]; y: number[] }>(series.map((s) => [s, { x: [], y: [] }]));
  const skipped = new Map<string, number>();
  const throttle = new Throttle(everyMs, now);
  const kernel = inKernel();
  const display = kernel ? new UpdatableDisplay() : null;
  let dirty = false;
  let finished = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  const figure = (): Figure =>
    lineChart(
      series.map((name) => ({ name, ...thin(data.get(name)!.x, data.get(name)!.y, maxPoints) })),
      chartOpts,
    );
  const draw = () => {
    dirty = false;
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    if (display) {
      loadPlotly();
      display.update(figureBundle(figure()));
    }
  };

  return {
    push(name, x, y) {
      if (finished) return;
      const d = data.get(name);
      if (!d) throw new RangeError(`liveChart: unknown series "${name}"; known series: ${series.join(", ")}`);
      if (!Number.isFinite(x) || !Number.isFinite(y) || (chartOpts.logX && x <= 0) || (chartOpts.logY && y <= 0)) {
        // A diverging loss must not crash the loop that reports it: count the point and say so at the end.
        skipped.set(name, (skipped.get(name) ?? 0) + 1);
        return;
      }
      d.x.push(x);
      d.y.push(y);
      dirty = true;
      if (!display) return;
      if (throttle.ready()) draw();
      else if (!timer) {
        // Draw the latest points once the loop yields, even if no further push comes.
        timer = setTimeout(() => {
          timer = null;
          if (dirty && !finished) draw();
        }, everyMs);
        timer.unref?.();
      }
    },
    done() {
      if (finished) return;
      finished = true;
      if (display) draw();
      if (timer) clearTimeout(timer);
      const last = series
        .map((name) => {
          const d = data.get(name)!;
          const n = d.y.length;
          const bad = skipped.get(name);
          return `${name} ${n > 0 ? `last=${formatValue(d.y[n - 1])}` : "no points"} (${n} points${bad ? `, ${bad} non-finite skipped` : ""})`;
        })
        .join("; ");
      const line = `[live chart] ${chartOpts.title ? chartOpts.title + ": " : ""}${last}`;
      if (!display) console.log(line);
      else if (skipped.size > 0) console.warn(line);
    },
    figure,
  };
}
