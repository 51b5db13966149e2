/**
 * Pure figure builders: data in, Plotly JSON out. They check their input (lengths, finite
 * numbers, positive values on log axes) so a bad value fails here with a clear message instead of
 * a blank chart in the browser.
 */
import { checkNumbers, checkSameLength, type Figure } from "./figure";
import { baseConfig, baseLayout, DEFAULT_COLORSCALE, PALETTE, type ChartOptions } from "./theme";

/** One named line of a line chart. */
export interface LineSeries {
  name: string;
  x: number[];
  y: number[];
}

/** One group of points of a scatter chart; `labels` show on hover (and as text with `showLabels`). */
export interface ScatterSeries {
  name?: string;
  x: number[];
  y: number[];
  labels?: string[];
  /** Per-point colour: numbers use a colour scale, strings are categories or CSS colours. */
  color?: (number | string)[];
}

function positiveNeed(axis: "x" | "y", opts: ChartOptions): string | undefined {
  if (axis === "x" && opts.logX) return "a log x axis (logX)";
  if (axis === "y" && opts.logY) return "a log y axis (logY)";
  return undefined;
}

function checkXY(name: string, x: unknown, y: unknown, opts: ChartOptions): { x: number[]; y: number[] } {
  const xs = checkNumbers(x, `series "${name}": x`, { positive: positiveNeed("x", opts) });
  const ys = checkNumbers(y, `series "${name}": y`, { positive: positiveNeed("y", opts) });
  checkSameLength(xs, ys, `series "${name}"`);
  return { x: xs, y: ys };
}

function checkSeriesList(series: unknown, fn: string): void {
  if (!Array.isArray(series)) throw new TypeError(`${fn}: series must be an array, got ${typeof series}`);
}

/** Lines through (x, y) points, one per series: loss curves, accuracies over epochs. */
export function lineChart(series: LineSeries[], opts: ChartOptions & { markers?: boolean } = {}): Figure {
  checkSeriesList(series, "lineChart");
  const data = series.map((s, i) => {
    const { x, y } = checkXY(s.name ?? `series ${i}`, s.x, s.y, opts);
    return {
      type: "scatter",
      mode: opts.markers ? "lines+markers" : "lines",
      name: s.name,
      x,
      y,
      line: { width: 2.5, color: PALETTE[i % PALETTE.length] },
    };
  });
  const layout = baseLayout(opts);
  return { data, layout: { ...layout, showlegend: series.length > 1 }, config: baseConfig() };
}

/** Points with hover labels, e.g. word vectors projected to 2-D. */
export function scatterChart(series: ScatterSeries[], opts: ChartOptions & { showLabels?: boolean; markerSize?: number } = {}): Figure {
  checkSeriesList(series, "scatterChart");
  const data = series.map((s, i) => {
    const name = s.name ?? `series ${i}`;
    const { x, y } = checkXY(name, s.x, s.y, opts);
    if (s.labels !== undefined && s.labels.length !== x.length) {
      throw new RangeError(`series "${name}": labels has ${s.labels.length} entries but there are ${x.length} points`);
    }
    if (s.color !== undefined && s.color.length !== x.length) {
      throw new RangeError(`series "${name}": color has ${s.color.length} entries but there are ${x.length} points`);
    }
    const marker: Record<string, unknown> = { size: opts.markerSize ?? 8, opacity: 0.85, color: PALETTE[i % PALETTE.length] };
    if (s.color !== undefined) {
      if (s.color.every((c) => typeof c === "number")) {
        marker.color = checkNumbers(s.color, `series "${name}": color`);
        marker.colorscale = DEFAULT_COLORSCALE;
        marker.showscale = true;
      } else {
        const cats = [...new Set(s.color.map(String))];
        const isCss = (c: string) => /^(#|rgb|hsl)/.test(c);
        marker.color = s.color.map((c) => (isCss(String(c)) ? String(c) : PALETTE[cats.indexOf(String(c)) % PALETTE.length]));
      }
    }
    const trace: Record<string, unknown> = {
      type: "scatter",
      mode: opts.showLabels && s.labels ? "markers+text" : "markers",
      name,
      x,
      y,
      marker,
    };
    if (s.labels) {
      trace.text = s.labels;
      trace.textposition = "top center";
      trace.hovertemplate = "<b>%{text}</b><br>x=%{x:.4g}<br>y=%{y:.4g}<extra>" + escapeTemplate(name) + "</extra>";
    }
    return trace;
  });
  const layout = baseLayout(opts);
  return { data, layout: { ...layout, showlegend: series.length > 1 }, config: baseConfig() };
}

function escapeTemplate(s: string): string {
  return s.replace(/[<>&%{}]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Bars per category; several series are drawn side by side. A plain number[] is one series. */
export function barChart(
  categories: string[],
  series: { name: string; values: number[] }[] | number[],
  opts: ChartOptions & { horizontal?: boolean } = {},
): Figure {
  if (!Array.isArray(categories)) throw new TypeError(`barChart: categories must be an array of strings, got ${typeof categories}`);
  checkSeriesList(series, "barChart");
  const list: { name: string; values: number[] }[] =
    series.length > 0 && typeof series[0] === "number" ? [{ name: "", values: series as number[] }] : (series as { name: string; values: number[] }[]);
  const valueNeed = opts.horizontal ? positiveNeed("x", opts) : positiveNeed("y", opts);
  const data = list.map((s, i) => {
    const values = checkNumbers(s.values, `series "${s.name}": values`, { positive: valueNeed });
    if (values.length !== categories.length) {
      throw new RangeError(`series "${s.name}": values has ${values.length} entries but there are ${categories.length} categories`);
    }
    const cats = categories.map(String);
    return {
      type: "bar",
      name: s.name,
      x: opts.horizontal ? values : cats,
      y: opts.horizontal ? cats : values,
      orientation: opts.horizontal ? "h" : "v",
      marker: { color: PALETTE[i % PALETTE.length] },
    };
  });
  const layout = baseLayout(opts) as Record<string, Record<string, unknown>>;
  const catAxis = opts.horizontal ? "yaxis" : "xaxis";
  layout[catAxis] = { ...layout[catAxis], type: "category", ...(opts.horizontal ? { autorange: "reversed" } : {}) };
  return { data, layout: { ...layout, barmode: "group", showlegend: list.length > 1 }, config: baseConfig() };
}

/** Options of `heatmap`. */
export interface HeatmapOptions extends ChartOptions {
  /** Column labels (length = number of columns). */
  x?: string[];
  /** Row labels (length = number of rows); row 0 is drawn at the top, like a matrix. */
  y?: string[];
  zmin?: number;
  zmax?: number;
  /** A Plotly colour scale name; default Viridis. */
  colorscale?: string;
  /** Text written in each cell (same shape as z). */
  text?: string[][];
  /** Write each cell's value in it, with this many decimals (ignored when `text` is given). */
  annotate?: number;
}

/** A matrix as coloured cells: attention weights, confusion matrices, similarity tables. */
export function heatmap(z: number[][], opts: HeatmapOptions = {}): Figure {
  if (!Array.isArray(z) || z.length === 0) throw new RangeError("heatmap: z must be a non-empty array of rows");
  const cols = z[0].length;
  const rows = z.map((row, r) => {
    const values = checkNumbers(row, `heatmap: z[${r}]`);
    if (values.length !== cols) throw new RangeError(`heatmap: z[${r}] has ${values.length} values but z[0] has ${cols}`);
    return values;
  });
  if (opts.x !== undefined && opts.x.length !== cols) throw new RangeError(`heatmap: x has ${opts.x.length} labels but z has ${cols} columns`);
  if (opts.y !== undefined && opts.y.length !== rows.length) throw new RangeError(`heatmap: y has ${opts.y.length} labels but z has ${rows.length} rows`);
  for (const key of ["zmin", "zmax"] as const) {
    const v = opts[key];
    if (v !== undefined && !Number.isFinite(v)) throw new RangeError(`heatmap: ${key} must be a finite number, got ${v}`);
  }
  const trace: Record<string, unknown> = {
    type: "heatmap",
    z: rows,
    colorscale: opts.colorscale ?? DEFAULT_COLORSCALE,
    hovertemplate: "row %{y}, column %{x}: %{z:.4g}<extra></extra>",
  };
  // Labels go on category axes so that repeated tokens (two "the" in a sentence) stay separate cells.
  if (opts.x) trace.x = opts.x.map((_, i) => i);
  if (opts.y) trace.y = opts.y.map((_, i) => i);
  if (opts.zmin !== undefined) trace.zmin = opts.zmin;
  if (opts.zmax !== undefined) trace.zmax = opts.zmax;
  let text = opts.text;
  if (text === undefined && opts.annotate !== undefined) {
    if (!Number.isInteger(opts.annotate) || opts.annotate < 0)
      throw new RangeError(`heatmap: annotate must be an integer >= 0 (decimals), got ${opts.annotate}`);
    text = rows.map((row) => row.map((v) => v.toFixed(opts.annotate)));
  }
  if (text !== undefined) {
    if (text.length !== rows.length || text.some((row) => row.length !== cols)) {
      throw new RangeError(`heatmap: text must have the shape of z (${rows.length} × ${cols})`);
    }
    trace.text = text;
    trace.texttemplate = "%{text}";
    trace.textfont = { size: 12 };
  }
  const layout = baseLayout(opts) as Record<string, Record<string, unknown>>;
  const labelAxis = (labels: string[] | undefined) =>
    labels ? { tickmode: "array", tickvals: labels.map((_, i) => i), ticktext: labels, type: "linear" } : {};
  layout.xaxis = { ...layout.xaxis, ...labelAxis(opts.x), showgrid: false, ticks: "" };
  layout.yaxis = { ...layout.yaxis, ...labelAxis(opts.y), showgrid: false, ticks: "", autorange: "reversed" };
  if (opts.x || opts.y) {
    // Hover shows the labels, not the cell indices used for placement.
    trace.customdata = rows.map((row, r) => row.map((_, c) => [opts.y ? opts.y[r] : String(r), opts.x ? opts.x[c] : String(c)]));
    trace.hovertemplate = "%{customdata[0]} → %{customdata[1]}: %{z:.4g}<extra></extra>";
  }
  return { data: [trace], layout, config: baseConfig() };
}

/** Log-spaced sample points between lo and hi (both > 0). */
export function logSpace(lo: number, hi: number, n: number): number[] {
  if (!(lo > 0 && hi > 0)) throw new RangeError(`logSpace needs lo > 0 and hi > 0, got ${lo} and ${hi}`);
  if (!Number.isInteger(n) || n < 2) throw new RangeError(`logSpace: n must be an integer >= 2, got ${n}`);
  const a = Math.log(lo);
  const b = Math.log(hi);
  return Array.from({ length: n }, (_, i) => Math.exp(a + ((b - a) * i) / (n - 1)));
}

/**
 * Measured points and fitted curves on log–log axes, where a power law y = a·x^b is a straight
 * line of slope b — the picture of every scaling law.
 */
export function logLogFit(
  points: { name: string; x: number[]; y: number[] }[],
  fits: { name: string; f: (x: number) => number }[],
  opts: ChartOptions & { xRange?: [number, number]; samples?: number } = {},
): Figure {
  checkSeriesList(points, "logLogFit");
  checkSeriesList(fits, "logLogFit: fits");
  const o: ChartOptions = { ...opts, logX: true, logY: true };
  let lo = Infinity;
  let hi = -Infinity;
  const data: Record<string, unknown>[] = points.map((p, i) => {
    const { x, y } = checkXY(p.name, p.x, p.y, o);
    for (const v of x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    return { type: "scatter", mode: "markers", name: p.name, x, y, marker: { size: 9, color: PALETTE[i % PALETTE.length] } };
  });
  if (opts.xRange) [lo, hi] = opts.xRange;
  if (fits.length > 0) {
    if (!(lo > 0 && hi >= lo)) throw new RangeError("logLogFit: fits need an x range: give points or opts.xRange = [lo, hi] with 0 < lo <= hi");
    const xs = logSpace(lo, hi === lo ? lo * 10 : hi, opts.samples ?? 100);
    fits.forEach((fit, j) => {
      const ys = xs.map((x) => fit.f(x));
      ys.forEach((v, k) => {
        if (!(Number.isFinite(v) && v > 0))
          throw new RangeError(`fit "${fit.name}" gives ${v} at x = ${xs[k].toPrecision(4)}; a log-log chart needs finite values > 0`);
      });
      data.push({
        type: "scatter",
        mode: "lines",
        name: fit.name,
        x: xs,
        y: ys,
        line: { width: 2, dash: "dash", color: PALETTE[(points.length + j) % PALETTE.length] },
      });
    });
  }
  return { data, layout: { ...baseLayout(o), showlegend: true }, config: baseConfig() };
}
