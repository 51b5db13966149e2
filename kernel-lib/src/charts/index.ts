// The public surface of kernel-lib/src/charts: Plotly figure builders, display in the notebook,
// in-place progress and live charts, and static export.
export { PALETTE, DEFAULT_COLORSCALE, baseLayout, baseConfig, type ChartOptions } from "./theme";
export { type Figure, figureSummary } from "./figure";
export { lineChart, scatterChart, barChart, heatmap, logLogFit, type LineSeries, type ScatterSeries, type HeatmapOptions } from "./builders";
export { standaloneHtml, chartDivHtml, escapeHtml, plotlyPackageDir } from "./html";
export { show, showHtml, showTable, loadPlotly, PLOTLY_MIME, type TableOptions } from "./show";
export { progressBar, type ProgressBar, type ProgressInfo } from "./progress";
export { liveChart, type LiveChart, type LiveChartOptions } from "./live";
export { saveHtml, savePng, type PngOptions } from "./export";
