import { callLearner, close, failure, formatNumber, matchMistake, type Mistake, pass, requireFunction, type Tolerance } from "../../util/checker";
import { makeRng } from "../../util/random";
import { SENTENCE_END, SENTENCE_START } from "../../text/ngram";

/**
 * The checker of lesson 00-ngrams' implement-it exercise (perplexity), on the shared checker core
 * (util/checker.ts): the learner's function runs on fixed tricky inputs and seeded random ones,
 * is compared with the reference, and a failure names the first wrong value and a likely cause.
 */

const show = (v: unknown): string => JSON.stringify(v);

/** Perplexities agree to 1e-9 (relative). */
const PPL_TOL: Tolerance = { rel: 1e-9 };

/** P(word | previous word); the first word's context is "<s>", and "</s>" is predicted at the end. */
export type BigramProb = (word: string, previous: string) => number;

/** exp(−(1/N) Σ ln P(wᵢ | wᵢ₋₁)) over every predicted token: the words and one "</s>" per sentence. */
export function referencePerplexity(sentences: readonly (readonly string[])[], prob: BigramProb): number {
  let logProb = 0;
  let n = 0;
  for (const s of sentences) {
    let prev = SENTENCE_START;
    for (const w of [...s, SENTENCE_END]) {
      logProb += Math.log(prob(w, prev));
      n++;
      prev = w;
    }
  }
  return Math.exp(-logProb / n);
}

// ---------------------------------------------------------------------------------------------
// Exercise: perplexity

/** The learner's function: the perplexity of sentences under a bigram model given as P(word | previous). */
export type PerplexityFn = (sentences: string[][], prob: BigramProb) => number;

const PPL_CAUSES = {
  noEnd: `forgot the end token: every sentence also predicts "${SENTENCE_END}" once (after its last word), and that prediction counts in N`,
  endNotCounted: `N counts every predicted token, "${SENTENCE_END}" included (words + 1 per sentence)`,
  startCounted: `"${SENTENCE_START}" is context only — it is never predicted, so it adds no factor and does not count in N`,
  log2: "mixed log bases: Math.log2 (or Math.log10) with Math.exp — use Math.log (natural log) with Math.exp, or log2 with 2 ** x",
  sign: "sign: perplexity = exp(−(1/N) Σ ln p); it is ≥ 1",
  noExp: "you returned the cross-entropy (1/N) Σ −ln p; perplexity is exp of it",
  perSentence: "divide by the number of predicted tokens N, not by the number of sentences",
  noMean: "average before exponentiating: exp(−(Σ ln p) / N), not exp(−Σ ln p)",
  meanOfPpl: "pool all tokens of all sentences into one average; a mean of per-sentence perplexities is a different number",
};

function perplexityBugs(sentences: string[][], prob: BigramProb): Mistake<number>[] {
  let lp = 0;
  let lpNoEnd = 0;
  let words = 0;
  const perSentence: number[] = [];
  for (const s of sentences) {
    let prev = SENTENCE_START;
    let lps = 0;
    for (const w of [...s, SENTENCE_END]) {
      const l = Math.log(prob(w, prev));
      lp += l;
      lps += l;
      if (w !== SENTENCE_END) lpNoEnd += l;
      prev = w;
    }
    words += s.length;
    perSentence.push(Math.exp(-lps / (s.length + 1)));
  }
  const n = words + sentences.length;
  return [
    { cause: PPL_CAUSES.noEnd, output: Math.exp(-lpNoEnd / words) },
    { cause: PPL_CAUSES.endNotCounted, output: Math.exp(-lp / words) },
    { cause: PPL_CAUSES.noEnd, output: Math.exp(-lpNoEnd / n) },
    { cause: PPL_CAUSES.startCounted, output: Math.exp(-lp / (n + sentences.length)) },
    { cause: PPL_CAUSES.log2, output: Math.exp(-lp / Math.LN2 / n) },
    { cause: `${PPL_CAUSES.log2}; and ${PPL_CAUSES.noEnd}`, output: Math.exp(-lpNoEnd / Math.LN2 / words) },
    { cause: PPL_CAUSES.log2, output: Math.exp(-lp / Math.LN10 / n) },
    { cause: PPL_CAUSES.sign, output: Math.exp(lp / n) },
    { cause: PPL_CAUSES.noExp, output: -lp / n },
    { cause: PPL_CAUSES.noExp, output: -lp / Math.LN2 / n },
    { cause: PPL_CAUSES.perSentence, output: Math.exp(-lp / sentences.length) },
    { cause: PPL_CAUSES.noMean, output: Math.exp(-lp) },
    { cause: PPL_CAUSES.meanOfPpl, output: perSentence.reduce((a, b) => a + b, 0) / perSentence.length },
  ];
}

function perplexityCases(): { sentences: string[][]; prob: BigramProb }[] {
  const rng = makeRng(16);
  const cases = [];
  for (let t = 0; t < 20; t++) {
    const words = ["the", "cat", "sat", "on", "mat", "dog"].slice(0, 3 + rng.int(4));
    const outcomes = [...words, SENTENCE_END];
    const table = new Map<string, Map<string, number>>();
    for (const prev of [SENTENCE_START, ...words]) {
      const raw = outcomes.map(() => 0.05 + rng.next());
      const sum = raw.reduce((a, b) => a + b, 0);
      table.set(prev, new Map(outcomes.map((w, i) => [w, raw[i] / sum])));
    }
    const sentences = Array.from({ length: t === 0 ? 1 : 1 + rng.int(4) }, () => Array.from({ length: 1 + rng.int(5) }, () => words[rng.int(words.length)]));
    const prob: BigramProb = (word, previous) => {
      const row = table.get(previous);
      if (row === undefined) {
        throw new Error(
          `prob(${show(word)}, ${show(previous)}): unknown context ${show(previous)}. The first word of a sentence has context "${SENTENCE_START}"; ` +
            `after that, the previous word. ("${SENTENCE_END}" is predicted, never a context.)`,
        );
      }
      const p = row.get(word);
      if (p === undefined)
        throw new Error(`prob(${show(word)}, ${show(previous)}): ${show(word)} is not a word of this model ("${SENTENCE_START}" is never predicted).`);
      return p;
    };
    cases.push({ sentences, prob });
  }
  return cases;
}

/**
 * Check a learner's `perplexity(sentences, prob)`: each sentence is predicted word by word with
 * P(word | previous word) (the first word's context is "<s>"), then "</s>" is predicted; the
 * perplexity is exp(−(1/N) Σ ln P) over all N predicted tokens.
 */
export function checkPerplexity(fn: PerplexityFn): void {
  requireFunction(fn, "checkPerplexity", "checkPerplexity(myPerplexity)");
  const cases = perplexityCases();
  for (const [t, { sentences, prob }] of cases.entries()) {
    const where = `case ${t + 1} (sentences ${show(sentences)})`;
    const got = callLearner("checkPerplexity", where, () =>
      fn(
        sentences.map((s) => [...s]),
        prob,
      ),
    );
    if (typeof got !== "number") throw new Error(`${where}: perplexity must return a number, got ${typeof got}`);
    const want = referencePerplexity(sentences, prob);
    if (close(got, want, PPL_TOL)) continue;
    const cause =
      matchMistake(perplexityBugs(sentences, prob), (output) => close(got, output, PPL_TOL)) ??
      (Number.isFinite(got)
        ? "compare term by term with the chain rule: ln P(w₁|<s>) + ln P(w₂|w₁) + … + ln P(</s>|wₙ)"
        : "a probability of 0 or a division by 0 somewhere");
    throw failure(`${where}: expected perplexity ${formatNumber(want, 12)}, got ${formatNumber(got, 12)}`, cause, "");
  }
  pass(`right: perplexity agrees with the reference on ${cases.length} random bigram models (to 1e-9).`);
}
