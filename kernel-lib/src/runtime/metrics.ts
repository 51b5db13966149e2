import { sendDisplay } from "./kernel-display";

/**
 * Metrics a notebook records for the headless runner (`llm-lessons run` writes them to
 * NAME.metrics.json). They stay out of the learner's way: in Jupyter, JupyterLab, VS Code or
 * nbconvert nothing is sent at all. Under the runner (which starts the kernel with
 * RUNNER_ENV=1) a metric travels as a display output carrying only the MIME type METRIC_MIME;
 * the runner reads it and leaves it out of the executed notebook it saves.
 */
export const METRIC_MIME = "application/vnd.llm-lessons.metric+json";

/** The environment variable the runner sets in the kernel's environment. */
export const RUNNER_ENV = "LLM_LESSONS_RUNNER";

export type MetricValue = number | string | boolean | null | MetricValue[] | { [key: string]: MetricValue };

/** A curve: y against x (e.g. loss against step). */
export interface MetricSeries {
  x: number[];
  y: number[];
}

const recorded = new Map<string, MetricValue>();

/** True when this process is a kernel started by the headless runner. */
export function underRunner(env: NodeJS.ProcessEnv = process.env): boolean {
  return env[RUNNER_ENV] === "1";
}

function isNumberArray(v: unknown): v is number[] {
  return Array.isArray(v) && v.every((x) => typeof x === "number");
}

/** True for a non-empty array of numbers or an `{x, y}` pair of equally long number arrays. */
export function isSeries(value: unknown): value is number[] | MetricSeries {
  if (isNumberArray(value)) return value.length > 0;
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return isNumberArray(v.x) && isNumberArray(v.y) && v.x.length === v.y.length && v.y.length > 0;
}

/** A series as `{x, y}` (an array's x is 0, 1, 2, …); null when `value` is not a series. */
export function seriesXY(value: unknown): MetricSeries | null {
  if (!isSeries(value)) return null;
  if (Array.isArray(value)) return { x: value.map((_, i) => i), y: value };
  return { x: value.x, y: value.y };
}

function checkFinite(name: string, value: MetricValue, where: string): void {
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError(`recordMetric: ${where} of "${name}" is ${value}; metrics must be finite numbers`);
  }
}

/**
 * Record a named result of this notebook run (the latest value per name wins): a number, a
 * string, a boolean, any JSON value, or a curve — an array of numbers (y against 0, 1, 2, …) or
 * `{x, y}` with two equally long arrays (e.g. loss against step).
 */
export function recordMetric(name: string, value: MetricValue | MetricSeries): void {
  if (typeof name !== "string" || name.trim() === "") throw new TypeError("recordMetric: name must be a non-empty string");
  checkFinite(name, value as MetricValue, "value");
  if (isNumberArray(value)) value.forEach((v, i) => checkFinite(name, v, `element ${i}`));
  const v = value as unknown as Record<string, unknown>;
  if (typeof value === "object" && value !== null && !Array.isArray(value) && (Array.isArray(v.x) || Array.isArray(v.y))) {
    if (!isSeries(v)) {
      const len = (a: unknown): string => (Array.isArray(a) ? String(a.length) : "not an array");
      throw new TypeError(
        `recordMetric: "${name}" looks like a series but x and y must be equally long, non-empty arrays of numbers (x: ${len(v.x)}, y: ${len(v.y)})`,
      );
    }
    (v.x as number[]).forEach((e, i) => checkFinite(name, e, `x[${i}]`));
    (v.y as number[]).forEach((e, i) => checkFinite(name, e, `y[${i}]`));
  }
  const stored = JSON.parse(JSON.stringify(value)) as MetricValue;
  recorded.set(name, stored);
  if (underRunner()) sendDisplay({ [METRIC_MIME]: { name, value: stored } });
}

/**
 * Record several results at once — a lesson calls this once per section, in a hidden cell tagged
 * `metrics` at the section's end, with the numbers that section displayed. Every value is checked
 * before any is stored, so a bad one (named in the error) records nothing.
 */
export function recordMetrics(values: Record<string, MetricValue | MetricSeries>): void {
  if (typeof values !== "object" || values === null || Array.isArray(values)) throw new TypeError("recordMetrics: pass an object of name → value");
  const entries = Object.entries(values);
  for (const [name, value] of entries) {
    checkFinite(name, value as MetricValue, "value");
    if (isNumberArray(value)) value.forEach((v, i) => checkFinite(name, v, `element ${i}`));
  }
  for (const [name, value] of entries) recordMetric(name, value);
}

/** Every metric recorded in this process so far. */
export function recordedMetrics(): Record<string, MetricValue> {
  return Object.fromEntries(recorded);
}
