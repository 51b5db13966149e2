/**
 * The one look shared by every chart: a colourblind-safe palette (Okabe & Ito, "Color Universal
 * Design", 2008), readable fonts and light grids. Builders start from `baseLayout` so that all
 * lessons' charts match, and a learner can change the look in one place.
 */

/** Okabe–Ito colours, ordered so the first few are the most distinct on white. */
export const PALETTE: readonly string[] = [
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#D55E00", // vermillion
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#999999", // grey
  "#F0E442", // yellow (last: weak contrast on white)
];

/** A sequential colour scale that stays readable for colourblind readers and in greyscale. */
export const DEFAULT_COLORSCALE = "Viridis";

/** Fonts for every chart: system sans-serif at a size that reads well when projected. */
export const FONT = { family: "'Segoe UI', 'Helvetica Neue', Arial, sans-serif", size: 14, color: "#222222" };

/** Default height in pixels when a chart gives none (the width follows the output area). */
export const DEFAULT_HEIGHT = 420;

/** Options every builder understands. */
export interface ChartOptions {
  /** Title above the plot. */
  title?: string;
  /** Title of the x axis. */
  xTitle?: string;
  /** Title of the y axis. */
  yTitle?: string;
  /** Logarithmic x axis (every x must be > 0). */
  logX?: boolean;
  /** Logarithmic y axis (every y must be > 0). */
  logY?: boolean;
  /** Width in pixels; default: the width of the output area. */
  width?: number;
  /** Height in pixels; default 420. */
  height?: number;
}

function axis(title: string | undefined, log: boolean | undefined): Record<string, unknown> {
  return {
    type: log ? "log" : "linear",
    title: { text: title ?? "" },
    gridcolor: "#e6e6e6",
    linecolor: "#888888",
    zeroline: false,
    ticks: "outside",
    tickcolor: "#888888",
    automargin: true,
  };
}

/** The layout every chart starts from: fonts, palette, white background, axis titles and types. */
export function baseLayout(opts: ChartOptions = {}): Record<string, unknown> {
  for (const key of ["width", "height"] as const) {
    const v = opts[key];
    if (v !== undefined && !(Number.isFinite(v) && v >= 50)) throw new RangeError(`${key} must be a number of pixels >= 50, got ${v}`);
  }
  const layout: Record<string, unknown> = {
    font: { ...FONT },
    colorway: [...PALETTE],
    paper_bgcolor: "#ffffff",
    plot_bgcolor: "#ffffff",
    margin: { l: 70, r: 30, t: opts.title ? 60 : 30, b: 60 },
    hovermode: "closest",
    legend: { bgcolor: "rgba(255,255,255,0.8)" },
    xaxis: axis(opts.xTitle, opts.logX),
    yaxis: axis(opts.yTitle, opts.logY),
    height: opts.height ?? DEFAULT_HEIGHT,
  };
  if (opts.title) layout.title = { text: opts.title, x: 0.02, xanchor: "left", font: { size: 18 } };
  if (opts.width !== undefined) layout.width = opts.width;
  else layout.autosize = true;
  return layout;
}

/** Plotly's config for every chart: responsive, no logo, no selection tools a lesson never needs. */
export function baseConfig(): Record<string, unknown> {
  return { responsive: true, displaylogo: false, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
}
