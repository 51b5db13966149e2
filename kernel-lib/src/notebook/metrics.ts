import { sendDisplay } from "./kernel-display";

/**
 * Metrics a notebook records for the headless runner (`llm-lessons run` writes them to
 * NAME.metrics.json). In the kernel a metric travels as a display output of MIME type
 * METRIC_MIME, with a one-line text/plain form for people reading the notebook.
 */
export const METRIC_MIME = "application/vnd.llm-lessons.metric+json";

export type MetricValue = number | string | boolean | null | MetricValue[] | { [key: string]: MetricValue };

const recorded = new Map<string, MetricValue>();

function formatValue(value: MetricValue): string {
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toPrecision(5);
  return JSON.stringify(value);
}

/** Record a named result of this notebook run (the latest value per name wins). */
export function recordMetric(name: string, value: MetricValue): void {
  if (typeof name !== "string" || name.trim() === "") throw new TypeError("recordMetric: name must be a non-empty string");
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError(`recordMetric: value of "${name}" is ${value}; metrics must be finite numbers`);
  }
  recorded.set(name, value);
  const text = `metric ${name} = ${formatValue(value)}`;
  if (!sendDisplay({ [METRIC_MIME]: { name, value }, "text/plain": text })) {
    // Not in a kernel: keep it in memory for `recordedMetrics()`; stay quiet in tests.
  }
}

/** Every metric recorded in this process so far. */
export function recordedMetrics(): Record<string, MetricValue> {
  return Object.fromEntries(recorded);
}
