/**
 * Standard intrinsic evaluations of word vectors, with the same rules as gensim so that numbers
 * can be compared side by side:
 *
 * - Analogies in the questions-words format (Mikolov et al. 2013): lines "a b c d" meaning
 *   "a is to b as c is to d", grouped under ": section" lines. A question counts when all four
 *   words are among the `restrict` most frequent words; it is correct when d is the top answer of
 *   3CosAdd. Accuracy = correct / counted; skipped questions are reported separately.
 * - Word-pair similarity (WordSim-353 / SimLex format): lines "w1<TAB>w2<TAB>score", "#" comments.
 *   Spearman rank correlation between the human scores and the cosines, over pairs whose two words
 *   are known.
 */
import { WordVectors } from "./model";
import { centredSums } from "../util/stats";

/** One analogy question: a is to b as c is to d, in a named section. */
export interface AnalogyQuestion {
  section: string;
  a: string;
  b: string;
  c: string;
  d: string;
}

/** Parse a questions-words file. Lines with other than 4 words are an error naming the line. */
export function parseAnalogies(text: string, options: { lowercase?: boolean } = {}): AnalogyQuestion[] {
  const out: AnalogyQuestion[] = [];
  let section = "";
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) return;
    if (t.startsWith(":")) {
      section = t.slice(1).trim();
      return;
    }
    const w = ((options.lowercase ?? true) ? t.toLowerCase() : t).split(/\s+/);
    if (w.length !== 4) throw new RangeError(`analogy line ${i + 1} must have 4 words, got ${w.length}: "${t}"`);
    out.push({ section, a: w[0], b: w[1], c: w[2], d: w[3] });
  });
  return out;
}

/** Outcome of `evaluateAnalogies`, overall and per section. */
export interface AnalogyResult {
  /** correct / counted (0 when nothing was counted). */
  accuracy: number;
  correct: number;
  /** Questions whose four words are all known. */
  counted: number;
  /** Questions skipped because a word is unknown. */
  skipped: number;
  sections: { section: string; correct: number; counted: number; accuracy: number }[];
}

/** Analogy accuracy (3CosAdd, top-1) on questions or on the text of a questions-words file. */
export function evaluateAnalogies(model: WordVectors, questions: AnalogyQuestion[] | string, options: { restrict?: number } = {}): AnalogyResult {
  const qs = typeof questions === "string" ? parseAnalogies(questions) : questions;
  const restrict = Math.min(options.restrict ?? 300_000, model.vocab.length);
  const known = (w: string) => {
    const i = model.indexOf(w);
    return i !== undefined && i < restrict;
  };
  const bySection = new Map<string, { correct: number; counted: number }>();
  let correct = 0;
  let counted = 0;
  let skipped = 0;
  for (const q of qs) {
    if (!(known(q.a) && known(q.b) && known(q.c) && known(q.d))) {
      skipped++;
      continue;
    }
    const best = model.analogy(q.a, q.b, q.c, 1, { restrict })[0];
    const ok = best !== undefined && best.word === q.d;
    const s = bySection.get(q.section) ?? { correct: 0, counted: 0 };
    s.counted++;
    counted++;
    if (ok) {
      s.correct++;
      correct++;
    }
    bySection.set(q.section, s);
  }
  return {
    accuracy: counted > 0 ? correct / counted : 0,
    correct,
    counted,
    skipped,
    sections: [...bySection].map(([section, s]) => ({ section, ...s, accuracy: s.correct / s.counted })),
  };
}

/** One rated word pair of a similarity set. */
export interface WordPair {
  a: string;
  b: string;
  score: number;
}

/** Parse a word-pair file: "w1 w2 score" separated by tabs or spaces; "#" starts a comment. */
export function parseWordPairs(text: string, options: { lowercase?: boolean } = {}): WordPair[] {
  const out: WordPair[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    const t = line.trim();
    if (t === "" || t.startsWith("#")) return;
    const f = t.split(/\s+/);
    const score = Number(f[2]);
    if (f.length < 3 || !Number.isFinite(score)) throw new RangeError(`word-pair line ${i + 1} must be "word word score", got "${t}"`);
    const lc = options.lowercase ?? true;
    out.push({ a: lc ? f[0].toLowerCase() : f[0], b: lc ? f[1].toLowerCase() : f[1], score });
  });
  return out;
}

/** Ranks (1-based) with ties given their average rank, as Spearman's ρ needs. */
export function ranks(xs: ArrayLike<number>): Float64Array {
  const n = xs.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => xs[i] - xs[j]);
  const r = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i;
    while (j + 1 < n && xs[order[j + 1]] === xs[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) r[order[k]] = avg;
    i = j + 1;
  }
  return r;
}

/** Pearson correlation; throws if fewer than 2 points or a constant series (no NaN returned). */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`pearson: lengths differ (${n} vs ${y.length})`);
  if (n < 2) throw new RangeError(`pearson: need at least 2 points, got ${n}`);
  const { sxy, sxx, syy } = centredSums(x, y);
  if (sxx === 0 || syy === 0) throw new RangeError("pearson: a series is constant, correlation undefined");
  return sxy / Math.sqrt(sxx * syy);
}

/** Spearman's rank correlation ρ (Pearson on average ranks, like scipy.stats.spearmanr). */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(ranks(x), ranks(y));
}

/** Outcome of `evaluateWordPairs`. */
export interface WordPairResult {
  spearman: number;
  pearson: number;
  /** Pairs with both words known. */
  counted: number;
  /** Pairs skipped for an unknown word. */
  skipped: number;
}

/** Correlation of cosine similarities with human scores on a word-pair set (file text or pairs). */
export function evaluateWordPairs(model: WordVectors, pairs: WordPair[] | string): WordPairResult {
  const ps = typeof pairs === "string" ? parseWordPairs(pairs) : pairs;
  const human: number[] = [];
  const cos: number[] = [];
  let skipped = 0;
  for (const p of ps) {
    if (!model.has(p.a) || !model.has(p.b)) {
      skipped++;
      continue;
    }
    human.push(p.score);
    cos.push(model.similarity(p.a, p.b));
  }
  if (human.length < 2) throw new RangeError(`word pairs: only ${human.length} pair(s) have both words in the vocabulary; need 2`);
  return { spearman: spearman(human, cos), pearson: pearson(human, cos), counted: human.length, skipped };
}
