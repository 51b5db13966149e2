/**
 * A figure is plain Plotly JSON: `data` (the traces), `layout` and `config`. Builders return it,
 * `show` displays it, and a learner can edit any field before showing it (see
 * https://plotly.com/javascript/reference/). Keeping figures as data makes them easy to test.
 */
export interface Figure {
  data: object[];
  layout?: object;
  config?: object;
}

/** Throw unless `v` is an array of finite numbers; the message names the series and index. */
export function checkNumbers(values: unknown, what: string, opts: { positive?: string } = {}): number[] {
  if (!Array.isArray(values) && !ArrayBuffer.isView(values)) throw new TypeError(`${what} must be an array of numbers, got ${typeof values}`);
  const arr = Array.from(values as ArrayLike<unknown>);
  arr.forEach((v, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new RangeError(`${what}[${i}] must be a finite number, got ${String(v)}`);
    if (opts.positive && v <= 0) throw new RangeError(`${what}[${i}] = ${v}, but ${opts.positive} needs values > 0`);
  });
  return arr as number[];
}

/** Throw unless two arrays have the same length. */
export function checkSameLength(a: ArrayLike<unknown>, b: ArrayLike<unknown>, what: string): void {
  if (a.length !== b.length) throw new RangeError(`${what}: x has ${a.length} values but y has ${b.length}`);
}

function text(v: unknown): string | undefined {
  if (v == null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "object" && typeof (v as { text?: unknown }).text === "string") return (v as { text: string }).text;
  return undefined;
}

/** The figure's title, or "" when it has none. */
export function figureTitle(fig: Figure): string {
  return text((fig.layout as { title?: unknown } | undefined)?.title) ?? "";
}

/** One line describing a figure, used as its text/plain form and outside a notebook. */
export function figureSummary(fig: Figure): string {
  if (fig == null || !Array.isArray(fig.data)) throw new TypeError("figure must be an object with a `data` array of traces");
  const kinds = [...new Set(fig.data.map((t) => String((t as { type?: unknown }).type ?? "scatter")))];
  let points = 0;
  for (const t of fig.data as { x?: ArrayLike<unknown>; y?: ArrayLike<unknown>; z?: ArrayLike<unknown> }[]) {
    if (Array.isArray(t.z)) {
      // A heatmap: count its cells.
      for (const row of t.z) points += Array.isArray(row) ? row.length : 1;
      continue;
    }
    const arr = t.y ?? t.x;
    if (arr && typeof arr.length === "number") points += arr.length;
  }
  const title = figureTitle(fig);
  const names = (fig.data as { name?: unknown }[]).map((t) => t.name).filter((n): n is string => typeof n === "string" && n !== "");
  const series = names.length > 0 ? `: ${names.slice(0, 6).join(", ")}${names.length > 6 ? ", …" : ""}` : "";
  return `[chart] ${title ? `${title} — ` : ""}${kinds.join("+")}, ${fig.data.length} trace${fig.data.length === 1 ? "" : "s"}, ${points} points${series}`;
}
