/**
 * `llm-lessons bench word2vec`: skip-gram training speed on the State of the Union corpus
 * (dim 100, window 5, negative 5, sample 1e-3, minCount 5, 1 epoch), ours with 1 and 2 threads
 * against gensim (Debian python3-gensim) with 1 and 2 workers on the same tokenized sentences, so
 * that both speed ratios come from one run, plus the quality of the models on the project's small
 * original evaluation sets.
 *
 * Words/s = corpus words / training seconds (vocabulary building excluded on both sides). Also
 * reported per CPU-second, which is steadier on a shared machine. Full runs repeat 3 times and
 * report medians; `quick` trains once on the most recent ~300 k words.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { BenchResult } from "./types";
import {
  countWords,
  sotuSentences,
  evaluateAnalogies,
  evaluateWordPairs,
  sotuAnalogyText,
  sotuWordPairsText,
  useSimd,
  SkipGramModel,
  trainSkipGram,
} from "kernel-lib";
import { median } from "./stats";

const SETTINGS = { dim: 100, window: 5, negative: 5, sample: 1e-3, minCount: 5, learningRate: 0.025 };
const SANITY = ["war", "tax", "america"];

/** The project root (where scripts/peers lives), searched upwards from this file. */
function projectRoot(): string | null {
  let d = __dirname;
  for (let i = 0; i < 6; i++) {
    if (fs.existsSync(path.join(d, "scripts", "peers", "gensim_word2vec.py"))) return d;
    d = path.dirname(d);
  }
  return null;
}

interface GensimRun {
  available: boolean;
  reason?: string;
  wall_s?: number;
  cpu_s?: number;
  corpus_words?: number;
  analogy_accuracy?: number;
  analogy_questions?: number;
  pairs_spearman?: number;
  neighbours?: Record<string, [string, number][]>;
}

function runGensim(args: string[]): Promise<GensimRun> {
  const root = projectRoot();
  const python = "/usr/bin/python3";
  if (!root || !fs.existsSync(python)) return Promise.resolve({ available: false, reason: "no /usr/bin/python3 or peer script" });
  return new Promise((resolve) => {
    execFile(python, [path.join(root, "scripts", "peers", "gensim_word2vec.py"), ...args], { maxBuffer: 1 << 24 }, (err, stdout) => {
      if (err) return resolve({ available: false, reason: `gensim peer failed: ${err.message.split("\n")[0]}` });
      try {
        resolve(JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as GensimRun);
      } catch {
        resolve({ available: false, reason: "gensim peer printed no JSON" });
      }
    });
  });
}

async function timeOurs(sentences: string[][], threads: number, epochs: number, seed: number): Promise<{ model: SkipGramModel; wall: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const model = await trainSkipGram(sentences, { ...SETTINGS, epochs, threads, seed });
  const c = process.cpuUsage(c0);
  return { model, wall: model.stats.seconds, cpu: (c.user + c.system) / 1e6 };
}

function neighbours(m: SkipGramModel): string {
  return SANITY.filter((w) => m.has(w))
    .map(
      (w) =>
        `${w}: ${m
          .mostSimilar(w, 6)
          .map((n) => n.word)
          .join(" ")}`,
    )
    .join("; ");
}

/** Run the benchmark (see the module comment). `epochs` (default 1) applies to both sides. */
export async function bench(opts: { quick: boolean; epochs?: number }): Promise<BenchResult> {
  const epochs = opts.epochs ?? 1;
  const runs = opts.quick ? 1 : 3;
  const sentences = sotuSentences(opts.quick ? { maxWords: 300_000 } : {});
  const words = countWords(sentences);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "w2v-bench-"));
  const corpusFile = path.join(dir, "corpus.txt");
  fs.writeFileSync(corpusFile, sentences.map((s) => s.join(" ")).join("\n") + "\n");
  const analogyFile = path.join(dir, "analogies.txt");
  const pairsFile = path.join(dir, "pairs.tsv");
  fs.writeFileSync(analogyFile, sotuAnalogyText());
  fs.writeFileSync(pairsFile, sotuWordPairsText());
  const notes: string[] = [
    `corpus: ${opts.quick ? "most recent ~300 k words of" : "all of"} SOTU, ${words} words, ${sentences.length} sentences; ` +
      `dim 100, window 5, negative 5, sample 1e-3, minCount 5, ${epochs} epoch(s)`,
    `kernel: ${useSimd(SETTINGS.dim) ? "WebAssembly SIMD" : "plain JavaScript"}; figures are medians of ${runs} run(s)`,
    `machine: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(" ")} at start; ` + "words/s per CPU-second is steadier than wall-clock words/s on a shared machine",
  ];
  try {
    const one: { model: SkipGramModel; wall: number; cpu: number }[] = [];
    const two: { model: SkipGramModel; wall: number; cpu: number }[] = [];
    const gensim: GensimRun[] = [];
    const gensim2: GensimRun[] = [];
    const gArgs = (workers: number, seed: number) => [
      corpusFile,
      "--seed",
      String(seed),
      "--epochs",
      String(epochs),
      "--workers",
      String(workers),
      "--analogies",
      analogyFile,
      "--pairs",
      pairsFile,
      "--neighbours",
      SANITY.join(","),
    ];
    for (let r = 0; r < runs; r++) {
      // Interleave the four so that load changes hit them alike.
      // Run r uses seed r + 1 on both sides, so that the quality means are over seeds.
      one.push(await timeOurs(sentences, 1, epochs, r + 1));
      two.push(await timeOurs(sentences, 2, epochs, r + 1));
      gensim.push(await runGensim(gArgs(1, r + 1)));
      gensim2.push(await runGensim(gArgs(2, r + 1)));
    }
    const m = one[0].model;
    const analogies = evaluateAnalogies(m, sotuAnalogyText());
    const pairs = evaluateWordPairs(m, sotuWordPairsText());
    // Spearman of every run's model (seeds 1 … runs): one figure moves by ±0.01 with the seed.
    const spearmans = (ms: { model: SkipGramModel }[]) => ms.map((x) => evaluateWordPairs(x.model, sotuWordPairsText()).spearman);
    const meanOf = (xs: number[]) => Number((xs.reduce((a, b) => a + b, 0) / xs.length).toFixed(4));
    const total = words * epochs;
    const figures: Record<string, number | string> = {
      corpus_words: words,
      epochs,
      words_per_s: Math.round(total / median(one.map((x) => x.wall))),
      words_per_cpu_s: Math.round(total / median(one.map((x) => x.cpu))),
      words_per_s_2_threads: Math.round(total / median(two.map((x) => x.wall))),
      words_per_cpu_s_2_threads: Math.round(total / median(two.map((x) => x.cpu))),
      analogy_accuracy: Number(analogies.accuracy.toFixed(4)),
      analogy_questions: analogies.counted,
      pairs_spearman: Number(pairs.spearman.toFixed(4)),
      pairs_counted: pairs.counted,
      pairs_spearman_mean_1_thread: meanOf(spearmans(one)),
      pairs_spearman_mean_2_threads: meanOf(spearmans(two)),
    };
    const g = gensim.filter((x) => x.available && x.wall_s);
    const g2 = gensim2.filter((x) => x.available && x.wall_s);
    if (g.length > 0) {
      figures.gensim_words_per_s = Math.round(total / median(g.map((x) => x.wall_s!)));
      figures.gensim_words_per_cpu_s = Math.round(total / median(g.map((x) => x.cpu_s!)));
      figures.speed_ratio_1_thread = Number(((figures.words_per_s as number) / (figures.gensim_words_per_s as number)).toFixed(3));
      if (g2.length > 0) {
        figures.gensim_words_per_s_2_workers = Math.round(total / median(g2.map((x) => x.wall_s!)));
        figures.gensim_words_per_cpu_s_2_workers = Math.round(total / median(g2.map((x) => x.cpu_s!)));
        figures.speed_ratio_2_threads = Number(((figures.words_per_s_2_threads as number) / figures.gensim_words_per_s_2_workers).toFixed(3));
      }
      figures.gensim_analogy_accuracy = Number((g[0].analogy_accuracy ?? NaN).toFixed(4));
      figures.gensim_analogy_questions = g[0].analogy_questions ?? 0;
      figures.gensim_pairs_spearman = Number((g[0].pairs_spearman ?? NaN).toFixed(4));
      figures.gensim_pairs_spearman_mean_1_worker = meanOf(g.map((x) => x.pairs_spearman ?? NaN));
      if (g2.length > 0) figures.gensim_pairs_spearman_mean_2_workers = meanOf(g2.map((x) => x.pairs_spearman ?? NaN));
      notes.push(
        `gensim neighbours: ${Object.entries(g[0].neighbours ?? {})
          .map(
            ([w, ns]) =>
              `${w}: ${ns
                .slice(0, 6)
                .map((n) => n[0])
                .join(" ")}`,
          )
          .join("; ")}`,
      );
    } else {
      figures.gensim = "unavailable";
      notes.push(`gensim peer unavailable: ${gensim[0]?.reason ?? "unknown"}`);
    }
    notes.push(`our neighbours: ${neighbours(m)}`);
    notes.push(
      `runs (s) ours 1 thread: ${one.map((x) => x.wall.toFixed(1)).join(", ")}; 2 threads: ${two.map((x) => x.wall.toFixed(1)).join(", ")}; ` +
        `gensim 1 worker: ${g.map((x) => x.wall_s!.toFixed(1)).join(", ")}; 2 workers: ${g2.map((x) => x.wall_s!.toFixed(1)).join(", ")}`,
    );
    return { name: "word2vec", figures, notes };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
