/**
 * `llm-lessons book [NOTEBOOK…] [--mode MODE] [--out DIR] [--from DIR]`: the lessons as a static
 * site that opens anywhere, offline — an index with the lesson list, headline results and run times,
 * and one page per lesson with its narrative (markdown by `marked`), code (highlighted by
 * highlight.js) and outputs as the notebook shows them (charts, tables, progress bars), plus
 * links to download the notebook with and without outputs. plotly.js is written once, as a file.
 * Lessons are executed through the kernel in MODE, unless `--from DIR` holds executed copies
 * (`DIR/NAME.ipynb` + `DIR/NAME.metrics.json`, as `run --out DIR` and the e2e tests write them).
 * The lessons come in the order their "Next: `NAME.ipynb`" lines give (`lessonOrder`); cells tagged
 * `metrics` (what a lesson records for its tests) are not shown, solutions fold away.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { basename, join, resolve } from "path";
import { type Figure, chartDivHtml, escapeHtml } from "kernel-lib/charts";
import { assertMode } from "kernel-lib/runtime";
import { Cell, Notebook, Output, cellTags, readNotebook, sourceText } from "../runner/nbformat";
import { MetricsFile, notebookName, runNotebook } from "../runner/runner";
import { PLOTLY_FILE, formatCell, htmlPage, htmlTable, writePlotlyBeside } from "./html-page";

/** A lesson in the book. */
export interface BookLesson {
  name: string;
  title: string;
  /** The lesson as stored (no outputs): the download. */
  source: string;
  /** The executed notebook. */
  executed: Notebook;
  metrics: MetricsFile | null;
  ok: boolean;
  error?: string;
}

type Highlighter = (code: string) => string;
type Markdown = (text: string) => string;

/** highlight.js with TypeScript (and JSON) only; plain escaping when it is missing. */
export function loadHighlighter(): Highlighter {
  try {
    const hljs = require("highlight.js/lib/core") as {
      registerLanguage(n: string, l: unknown): void;
      highlight(c: string, o: { language: string }): { value: string };
    };
    hljs.registerLanguage("typescript", require("highlight.js/lib/languages/typescript"));
    hljs.registerLanguage("json", require("highlight.js/lib/languages/json"));
    return (code) => hljs.highlight(code, { language: "typescript" }).value;
  } catch {
    return escapeHtml;
  }
}

/** `marked` (an ES module: loaded with a real dynamic import, which CommonJS output would rewrite into require). */
export async function loadMarkdown(): Promise<Markdown> {
  const importEsm = new Function("m", "return import(m)") as (m: string) => Promise<typeof import("marked")>;
  const { Marked } = await importEsm("marked");
  const hl = loadHighlighter();
  const marked = new Marked({
    gfm: true,
    renderer: {
      code({ text, lang }: { text: string; lang?: string }): string {
        const body = !lang || /^(ts|typescript|js|javascript)$/i.test(lang) ? hl(text) : escapeHtml(text);
        return `<pre><code class="hljs">${body}</code></pre>\n`;
      },
    },
  });
  return (text) => marked.parse(text, { async: false }) as string;
}

/** Remove ANSI colour codes (tslab's error texts carry some). */
export function stripAnsi(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes, which start with the ESC control character
  return s.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "");
}

/** True for the output that inlines plotly.js (the book loads it once, from a file). */
export function isPlotlyLoader(out: Output): boolean {
  if (out.output_type !== "display_data" && out.output_type !== "execute_result") return false;
  const html = out.data["text/html"];
  return typeof html === "string" || Array.isArray(html) ? /inlined for offline use \*\//.test(sourceText(html as string | string[])) : false;
}

/** One output as HTML, the richest representation first (as the notebook front ends choose). */
export function outputHtml(out: Output, md: Markdown): string {
  if (out.output_type === "stream") {
    const text = stripAnsi(sourceText(out.text));
    const pre = `<pre class="out${out.name === "stderr" ? " err" : ""}">${escapeHtml(text)}</pre>`;
    const lines = text.split("\n").length;
    return lines > 40 ? `<details><summary>${lines} lines of ${out.name === "stderr" ? "messages" : "output"}</summary>${pre}</details>` : pre;
  }
  if (out.output_type === "error") {
    return `<pre class="out err">${escapeHtml(stripAnsi([`${out.ename}: ${out.evalue}`, ...out.traceback].join("\n")))}</pre>`;
  }
  if (isPlotlyLoader(out)) return "";
  const data = out.data;
  const text = (k: string): string | null => (typeof data[k] === "string" || Array.isArray(data[k]) ? sourceText(data[k] as string | string[]) : null);
  const html = text("text/html");
  if (html !== null) return `<div class="output">${html}</div>`;
  const plotly = data["application/vnd.plotly.v1+json"] as Figure | undefined;
  if (plotly && Array.isArray(plotly.data)) return `<div class="output">${chartDivHtml(plotly)}</div>`;
  const svg = text("image/svg+xml");
  if (svg !== null) return `<div class="output">${svg}</div>`;
  for (const img of ["image/png", "image/jpeg"]) {
    const b64 = text(img);
    if (b64 !== null) return `<div class="output"><img alt="output" src="data:${img};base64,${b64.replace(/\s/g, "")}"></div>`;
  }
  const mdText = text("text/markdown");
  if (mdText !== null) return `<div class="output">${md(mdText)}</div>`;
  const plain = text("text/plain");
  if (plain !== null) return `<pre class="out">${escapeHtml(stripAnsi(plain))}</pre>`;
  return "";
}

/** Links to other lessons' notebooks point at their pages. */
function rewriteLessonLinks(html: string, names: ReadonlySet<string>): string {
  return html.replace(/href="(?:\.\/)?([\w.-]+)\.ipynb(#[^"]*)?"/g, (m, name: string, hash?: string) =>
    names.has(name) ? `href="${name}.html${hash ?? ""}"` : m,
  );
}

/** A cell tagged `metrics`: what the lesson records for its tests, which a reader never sees. */
export function isMetricsCell(cell: Cell): boolean {
  return cell.cell_type === "code" && cellTags(cell).includes("metrics");
}

function isSolution(cell: Cell): boolean {
  const jupyter = cell.metadata.jupyter as { source_hidden?: boolean } | undefined;
  return cellTags(cell).includes("solution") || jupyter?.source_hidden === true;
}

/** The HTML of one cell; a cell tagged `metrics` is left out of the page ("" ). */
export function cellHtml(cell: Cell, md: Markdown, hl: Highlighter): string {
  if (isMetricsCell(cell)) return "";
  if (cell.cell_type === "markdown") return `<div class="cell md-cell">${md(sourceText(cell.source))}</div>`;
  if (cell.cell_type === "raw") return `<div class="cell"><pre>${escapeHtml(sourceText(cell.source))}</pre></div>`;
  const code = sourceText(cell.source);
  const outs = (cell.outputs ?? [])
    .map((o) => outputHtml(o, md))
    .filter((s) => s !== "")
    .join("\n");
  const n = typeof cell.execution_count === "number" ? `[${cell.execution_count}]` : "[ ]";
  const codeHtml = `<pre><code class="hljs language-typescript">${hl(code)}</code></pre>`;
  const tags = cellTags(cell);
  const label = tags.includes("injected-parameters") ? " injected parameters" : tags.includes("parameters") ? " parameters" : "";
  const input = isSolution(cell) ? `<details><summary>Solution (hidden in the notebook)</summary>${codeHtml}</details>` : codeHtml;
  return `<div class="cell code-cell"><div class="prompt">${n}${label}</div>${input}${outs ? `\n${outs}` : ""}</div>`;
}

/** The lesson's title: its first markdown heading, else its name. */
export function lessonTitle(nb: Notebook, name: string): string {
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    const m = /^#\s+(.+)$/m.exec(sourceText(c.source));
    if (m) return m[1].trim();
  }
  return name;
}

/**
 * What a lesson's opening cell says the learner should see (its "**You should see about** …"
 * paragraph, lead words and the mode in brackets removed): the headline results in words, for
 * the index. Null when the first markdown cell has no such paragraph.
 */
export function lessonHeadline(nb: Notebook): string | null {
  const first = nb.cells.find((c) => c.cell_type === "markdown");
  if (!first) return null;
  const para = sourceText(first.source)
    .split(/\n\s*\n/)
    .find((p) => /^\*\*You should see about\b/i.test(p.trim()));
  if (!para) return null;
  const text = para
    .trim()
    .replace(/^\*\*You should see about\*\*\s*/i, "")
    .replace(/^\*\*You should see about\s*([^*]*)\*\*\s*/i, "$1 ")
    .replace(/^[—-]\s*/, "")
    .replace(/^\([^)]*\)\s*:?\s*/, "")
    .replace(/^:\s*/, "")
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return text === "" ? null : text;
}

/** The lesson a notebook's "Next: `NAME.ipynb`" line points to (its last such line), or null. */
export function nextLesson(nb: Notebook): string | null {
  let next: string | null = null;
  for (const c of nb.cells) {
    if (c.cell_type !== "markdown") continue;
    for (const m of sourceText(c.source).matchAll(/\bNext\b[^`\n]*`(?:\.\/)?([\w.-]+)\.ipynb`/g)) next = m[1];
  }
  return next;
}

/**
 * The order of the book: the lessons follow their "Next" links. Each chain starts at a lesson no
 * other lesson names as its next, chains in the order of their first lesson's name; a lesson named
 * by no link and naming none sorts in by name, and any left over (a cycle) follows by name.
 * E.g. 00-setup → 00-tokens → 00-ngrams → 01-bag-of-words, although "00-ngrams" sorts first.
 */
export function lessonOrder(lessons: ReadonlyMap<string, string | null>): string[] {
  const names = [...lessons.keys()].sort();
  const next = (name: string): string | null => {
    const n = lessons.get(name) ?? null;
    return n !== null && n !== name && lessons.has(n) ? n : null;
  };
  const named = new Set(names.map(next).filter((n): n is string => n !== null));
  const order: string[] = [];
  const seen = new Set<string>();
  for (const head of [...names.filter((n) => !named.has(n)), ...names]) {
    for (let n: string | null = head; n !== null && !seen.has(n); n = next(n)) {
      seen.add(n);
      order.push(n);
    }
  }
  return order;
}

/** The numbers for the index: scalar numeric metrics (up to `max`), formatted. */
export function keyNumbers(metrics: Record<string, unknown> | undefined, max = 6): string {
  const entries = Object.entries(metrics ?? {}).filter(([, v]) => typeof v === "number");
  const shown = entries.slice(0, max).map(([k, v]) => `${k} = ${formatCell(v)}`);
  return shown.join(", ") + (entries.length > max ? `, … (${entries.length - max} more)` : "");
}

const EXTRA_CSS = `<link rel="stylesheet" href="hljs.css">\n<style>.md-cell{margin:18px 0}.md-cell h1{margin-top:8px}details summary{cursor:pointer;color:#1f5fa8}</style>\n`;

/** The page of one lesson. */
export function lessonPage(
  lesson: BookLesson,
  prev: BookLesson | null,
  next: BookLesson | null,
  names: ReadonlySet<string>,
  md: Markdown,
  hl: Highlighter,
): string {
  const nav =
    `<nav class="top"><a href="index.html">All lessons</a>` +
    (prev ? `<a href="${prev.name}.html">← ${escapeHtml(prev.name)}</a>` : "") +
    (next ? `<a href="${next.name}.html">${escapeHtml(next.name)} →</a>` : "") +
    `<a href="notebooks/${lesson.name}.ipynb" download>Download the notebook</a>` +
    `<a href="executed/${lesson.name}.ipynb" download>… with these outputs</a></nav>`;
  const m = lesson.metrics;
  const facts = m
    ? `<p class="muted">Executed with ${escapeHtml(
        Object.entries(m.params)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(", ") || "its defaults",
      )}` + ` in ${m.seconds.toFixed(0)} s${m.backend ? ` (tfjs backend ${escapeHtml(m.backend)})` : ""}.</p>`
    : "";
  const failed = lesson.ok ? "" : `<p class="muted" style="color:#b00">This run stopped early: ${escapeHtml(lesson.error ?? "")}</p>`;
  const cells = lesson.executed.cells
    .map((c) => cellHtml(c, md, hl))
    .filter((h) => h !== "")
    .join("\n");
  const body = `${nav}\n<main>\n${facts}${failed}\n${rewriteLessonLinks(cells, names)}\n</main>`;
  return htmlPage(lesson.title, body, { plotlySrc: PLOTLY_FILE, head: EXTRA_CSS });
}

/** Markdown of one paragraph as inline HTML (no <p> around it). */
function inlineMarkdown(text: string, md: Markdown): string {
  return md(text)
    .trim()
    .replace(/^<p>([\s\S]*)<\/p>$/, "$1");
}

/**
 * The index page: per lesson its title (what you build), what you should see (the headline results
 * in words, from the lesson's opening cell; its first numeric metrics when it states none), run
 * time and status.
 */
export function indexPage(lessons: readonly BookLesson[], mode: string, md: Markdown = escapeHtml): string {
  const marker = (i: number) => `@@see-${i}@@`;
  const rows = lessons.map((l, i) => [`${l.name}`, l.title, marker(i), l.metrics ? Math.round(l.metrics.seconds) : null, l.ok ? "ok" : "stopped early"]);
  // The table helper escapes text; links and the rendered headlines go in afterwards.
  let table = htmlTable(["notebook", "lesson", "what you should see", "run time (s)", "status"], rows, (i) => (lessons[i].ok ? "" : "failed"));
  lessons.forEach((l, i) => {
    table = table.replace(
      `<td>${escapeHtml(l.name)}</td><td>${escapeHtml(l.title)}</td>`,
      `<td><a href="${l.name}.html">${escapeHtml(l.name)}</a></td><td><a href="${l.name}.html">${escapeHtml(l.title)}</a></td>`,
    );
    const headline = lessonHeadline(l.executed);
    const see = headline !== null ? inlineMarkdown(headline, md) : escapeHtml(keyNumbers(l.metrics?.metrics));
    table = table.replace(escapeHtml(marker(i)), see);
  });
  const body =
    `<main>\n<h1>llm-lessons</h1>\n<p>How large language models work, built step by step in TypeScript notebooks. ` +
    `Each page below is a lesson as it ran (mode <code>${escapeHtml(mode)}</code>), with its narrative, code and outputs; charts are interactive and work offline. ` +
    `Download a notebook from its page to run and change it yourself (see the project's README for the set-up).</p>\n${table}\n` +
    `<p class="muted">Run times include starting the kernel; written by <code>llm-lessons book</code> on ${new Date().toISOString().slice(0, 10)}.</p>\n</main>`;
  return htmlPage("llm-lessons", body, { plotlySrc: null });
}

/** Options of `bookCommand` as commander parses them. */
export interface BookCommandOptions {
  mode?: string;
  out?: string;
  from?: string;
  timeout?: string;
  quiet?: boolean;
}

/** The executed copy of `name` under `dir` (DIR/NAME.ipynb, else the first DIR/**\/NAME.ipynb). */
export function findExecuted(dir: string, name: string, depth = 3): string | null {
  const direct = join(dir, `${name}.ipynb`);
  if (existsSync(direct)) return direct;
  if (depth === 0 || !existsSync(dir)) return null;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory() && e.name !== "node_modules" && !e.name.startsWith(".")) {
      const found = findExecuted(join(dir, e.name), name, depth - 1);
      if (found) return found;
    }
  }
  return null;
}

/** Every notebook of a folder, in the book's order (`lessonOrder`; an unreadable one sorts in by name). */
export function notebooksInOrder(dir: string): string[] {
  const nexts = new Map<string, string | null>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
    let next: string | null = null;
    try {
      next = nextLesson(readNotebook(join(dir, f)));
    } catch {
      // reported when the book reads it
    }
    nexts.set(notebookName(f), next);
  }
  return lessonOrder(nexts).map((name) => join(dir, `${name}.ipynb`));
}

/** Build the site; returns the exit code (0 every lesson ran, 1 some stopped early, 2 bad arguments). */
export async function bookCommand(notebooks: string[], options: BookCommandOptions, projectDir: string): Promise<number> {
  let mode: string;
  try {
    mode = assertMode(options.mode ?? "workshop");
  } catch (e) {
    process.stderr.write(`--mode: ${(e as Error).message}\n`);
    return 2;
  }
  const timeoutSeconds = options.timeout === undefined ? 600 : Number(options.timeout);
  const files = notebooks.length > 0 ? notebooks.map((n) => resolve(n)) : notebooksInOrder(join(projectDir, "notebooks"));
  if (files.length === 0) {
    process.stderr.write("no notebooks to put in the book\n");
    return 2;
  }
  const out = resolve(options.out ?? "site");
  for (const sub of ["notebooks", "executed"]) mkdirSync(join(out, sub), { recursive: true });
  writePlotlyBeside(out);
  try {
    copyFileSync(require.resolve("highlight.js/styles/github.css"), join(out, "hljs.css"));
  } catch {
    writeFileSync(join(out, "hljs.css"), "");
  }
  const md = await loadMarkdown();
  const hl = loadHighlighter();
  const lessons: BookLesson[] = [];
  const log = (s: string): void => void (options.quiet ? undefined : process.stderr.write(`${s}\n`));
  for (const file of files) {
    const name = notebookName(file);
    let source: Notebook;
    try {
      source = readNotebook(file);
    } catch (e) {
      process.stderr.write(`${(e as Error).message}\n`);
      return 2;
    }
    copyFileSync(file, join(out, "notebooks", `${name}.ipynb`));
    const reuse = options.from ? findExecuted(resolve(options.from), name) : null;
    let lesson: BookLesson;
    if (reuse) {
      const metricsFile = reuse.replace(/\.ipynb$/, ".metrics.json");
      const metrics = existsSync(metricsFile) ? (JSON.parse(readFileSync(metricsFile, "utf8")) as MetricsFile) : null;
      const bad = metrics?.cells.find((c) => c.status !== "ok" && c.status !== "skipped");
      lesson = {
        name,
        title: lessonTitle(source, name),
        source: file,
        executed: readNotebook(reuse),
        metrics,
        ok: !bad,
        error: bad ? `cell ${bad.index}: ${bad.status}` : undefined,
      };
      log(`${name}: reusing ${reuse}`);
    } else {
      log(`${name}: running in ${mode} mode…`);
      const r = await runNotebook(file, { params: { mode }, outDir: join(out, "executed"), timeoutSeconds, quiet: true });
      const metrics = JSON.parse(readFileSync(r.metricsPath, "utf8")) as MetricsFile;
      lesson = {
        name,
        title: lessonTitle(source, name),
        source: file,
        executed: readNotebook(r.notebookPath),
        metrics,
        ok: r.ok,
        error: r.ok
          ? undefined
          : `${r.failedCell !== undefined ? `cell ${r.failedCell}: ` : ""}${(r.error ?? "").split("\n").find((l) => /Error/.test(l)) ?? r.error}`,
      };
      log(`${name}: ${r.ok ? "ok" : "stopped early"} in ${r.seconds.toFixed(0)} s`);
    }
    writeFileSync(join(out, "executed", `${name}.ipynb`), JSON.stringify(lesson.executed, null, 1) + "\n");
    lessons.push(lesson);
  }
  const names = new Set(lessons.map((l) => l.name));
  lessons.forEach((l, i) => writeFileSync(join(out, `${l.name}.html`), lessonPage(l, lessons[i - 1] ?? null, lessons[i + 1] ?? null, names, md, hl)));
  writeFileSync(join(out, "index.html"), indexPage(lessons, reuseModeLabel(lessons, mode, options.from), md));
  const bad = lessons.filter((l) => !l.ok);
  log(`book: ${join(out, "index.html")} (${lessons.length} lessons${bad.length ? `, ${bad.length} stopped early: ${bad.map((l) => l.name).join(", ")}` : ""})`);
  return bad.length > 0 ? 1 : 0;
}

/** The mode the pages show: the executed runs' own `mode` parameter when reused. */
function reuseModeLabel(lessons: readonly BookLesson[], mode: string, from?: string): string {
  if (!from) return mode;
  const modes = [...new Set(lessons.map((l) => l.metrics?.params.mode).filter((m): m is string => typeof m === "string"))];
  return modes.length > 0 ? modes.join(", ") : basename(from);
}
