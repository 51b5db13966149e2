import { callLearner, close, failure, formatNumber, matchMistake, type Mistake, pass, requireFunction, type Tolerance } from "../../util/checker";
import { makeRng } from "../../util/random";
import { SENTENCE_END, SENTENCE_START } from "../../text/ngram";

/**
 * The checker of lesson 00-ngrams' implement-it exercise (the perplexity of an n-gram model of any order), on the shared checker core
 * (util/checker.ts): the learner's function runs on fixed tricky inputs and seeded random ones,
 * is compared with the reference, and a failure names the first wrong value and a likely cause.
 */

const show = (v: unknown): string => JSON.stringify(v);

/** Perplexities agree to 1e-9 (relative). */
const PPL_TOL: Tolerance = { rel: 1e-9 };

/**
 * P(word | context) of an n-gram model: `context` is the n − 1 tokens before `word`, oldest first.
 * A sentence starts with n − 1 "<s>" tokens of context, and "</s>" is predicted after its last word.
 */
export type NgramProb = (word: string, context: readonly string[]) => number;

/** The tokens a sentence predicts, each with its context of n − 1 tokens (oldest first). */
function predictions(sentence: readonly string[], n: number, reversed = false): { word: string; context: string[] }[] {
  const padded = [...new Array<string>(n - 1).fill(SENTENCE_START), ...sentence, SENTENCE_END];
  const out: { word: string; context: string[] }[] = [];
  for (let i = n - 1; i < padded.length; i++) {
    const context = padded.slice(i - (n - 1), i);
    out.push({ word: padded[i], context: reversed ? context.reverse() : context });
  }
  return out;
}

/** exp(−(1/N) Σ ln P(wᵢ | the n − 1 tokens before it)) over every predicted token: the words and one "</s>" per sentence. */
export function referenceNgramPerplexity(sentences: readonly (readonly string[])[], prob: NgramProb, n: number): number {
  let logProb = 0;
  let count = 0;
  for (const s of sentences) {
    for (const { word, context } of predictions(s, n)) {
      logProb += Math.log(prob(word, context));
      count++;
    }
  }
  return Math.exp(-logProb / count);
}

// ---------------------------------------------------------------------------------------------
// Exercise: the perplexity of an n-gram model

/** The learner's function: the perplexity of sentences under an order-n model given as P(word | context). */
export type NgramPerplexityFn = (sentences: string[][], prob: NgramProb, n: number) => number;

const PPL_CAUSES = {
  noEnd: `forgot the end token: every sentence also predicts "${SENTENCE_END}" once (after its last word), and that prediction counts in N`,
  endNotCounted: `N counts every predicted token, "${SENTENCE_END}" included (words + 1 per sentence)`,
  startCounted: `"${SENTENCE_START}" is context only — it is never predicted, so it adds no factor and does not count in N`,
  reversed: "the context is in the wrong order: pass the n − 1 tokens before the word oldest first (…, w[i−2], w[i−1]), not nearest first",
  log2: "mixed log bases: Math.log2 (or Math.log10) with Math.exp — use Math.log (natural log) with Math.exp, or log2 with 2 ** x",
  sign: "sign: perplexity = exp(−(1/N) Σ ln p); it is ≥ 1",
  noExp: "you returned the cross-entropy (1/N) Σ −ln p; perplexity is exp of it",
  perSentence: "divide by the number of predicted tokens N, not by the number of sentences",
  noMean: "average before exponentiating: exp(−(Σ ln p) / N), not exp(−Σ ln p)",
  meanOfPpl: "pool all tokens of all sentences into one average; a mean of per-sentence perplexities is a different number",
};

function perplexityBugs(sentences: string[][], prob: NgramProb, n: number): Mistake<number>[] {
  let lp = 0;
  let lpNoEnd = 0;
  let words = 0;
  const perSentence: number[] = [];
  for (const s of sentences) {
    let lps = 0;
    for (const { word, context } of predictions(s, n)) {
      const l = Math.log(prob(word, context));
      lp += l;
      lps += l;
      if (word !== SENTENCE_END) lpNoEnd += l;
    }
    words += s.length;
    perSentence.push(Math.exp(-lps / (s.length + 1)));
  }
  const count = words + sentences.length;
  const mistakes: Mistake<number>[] = [
    { cause: PPL_CAUSES.noEnd, output: Math.exp(-lpNoEnd / words) },
    { cause: PPL_CAUSES.endNotCounted, output: Math.exp(-lp / words) },
    { cause: PPL_CAUSES.noEnd, output: Math.exp(-lpNoEnd / count) },
    { cause: PPL_CAUSES.startCounted, output: Math.exp(-lp / (count + sentences.length * (n - 1))) },
    { cause: PPL_CAUSES.startCounted, output: Math.exp(-lp / (count + sentences.length)) },
    { cause: PPL_CAUSES.log2, output: Math.exp(-lp / Math.LN2 / count) },
    { cause: `${PPL_CAUSES.log2}; and ${PPL_CAUSES.noEnd}`, output: Math.exp(-lpNoEnd / Math.LN2 / words) },
    { cause: PPL_CAUSES.log2, output: Math.exp(-lp / Math.LN10 / count) },
    { cause: PPL_CAUSES.sign, output: Math.exp(lp / count) },
    { cause: PPL_CAUSES.noExp, output: -lp / count },
    { cause: PPL_CAUSES.noExp, output: -lp / Math.LN2 / count },
    { cause: PPL_CAUSES.perSentence, output: Math.exp(-lp / sentences.length) },
    { cause: PPL_CAUSES.noMean, output: Math.exp(-lp) },
    { cause: PPL_CAUSES.meanOfPpl, output: perSentence.reduce((a, b) => a + b, 0) / perSentence.length },
  ];
  // Nearest-first contexts exist in the table only where no "<s>" is involved; where one is, prob throws and names it.
  try {
    let lr = 0;
    for (const s of sentences) for (const { word, context } of predictions(s, n, true)) lr += Math.log(prob(word, context));
    mistakes.push({ cause: PPL_CAUSES.reversed, output: Math.exp(-lr / count) });
  } catch {
    // a reversed context with "<s>" inside is not a context of this model
  }
  return mistakes;
}

/** Random order-n models over a few words (every context a sentence can produce has its own distribution) and sentences from them. */
function perplexityCases(): { sentences: string[][]; prob: NgramProb; n: number }[] {
  const rng = makeRng(16);
  const cases = [];
  for (let t = 0; t < 24; t++) {
    const n = 2 + (t % 3);
    const words = ["the", "cat", "sat", "on", "mat", "dog"].slice(0, 3 + rng.int(3));
    const outcomes = [...words, SENTENCE_END];
    const table = new Map<string, Map<string, number>>();
    // contexts: k "<s>" then n − 1 − k words (a sentence's start is always padded, never in the middle)
    const addContexts = (prefix: string[]): void => {
      if (prefix.length === n - 1) {
        const raw = outcomes.map(() => 0.05 + rng.next());
        const sum = raw.reduce((a, b) => a + b, 0);
        table.set(prefix.join(" "), new Map(outcomes.map((w, i) => [w, raw[i] / sum])));
        return;
      }
      if (prefix.every((w) => w === SENTENCE_START)) addContexts([...prefix, SENTENCE_START]);
      for (const w of words) addContexts([...prefix, w]);
    };
    addContexts([]);
    const sentences = Array.from({ length: t < 3 ? 1 : 1 + rng.int(4) }, () => Array.from({ length: 1 + rng.int(5) }, () => words[rng.int(words.length)]));
    const prob: NgramProb = (word, context) => {
      if (!Array.isArray(context) || context.length !== n - 1) {
        throw new Error(
          `prob(${show(word)}, ${show(context)}): an order-${n} model's context is an array of the n − 1 = ${n - 1} tokens before the word, ` +
            `oldest first; at the start of a sentence it is padded with "${SENTENCE_START}" (the first word's context is ${show(new Array(n - 1).fill(SENTENCE_START))}).`,
        );
      }
      const row = table.get(context.join(" "));
      if (row === undefined) {
        throw new Error(
          `prob(${show(word)}, ${show(context)}): unknown context ${show(context)}. "${SENTENCE_START}" only pads the start of the context ` +
            `(oldest first: ${show([SENTENCE_START, ...new Array(n - 2).fill("w1")])} for the second word), and "${SENTENCE_END}" is predicted, never a context.`,
        );
      }
      const p = row.get(word);
      if (p === undefined)
        throw new Error(`prob(${show(word)}, ${show(context)}): ${show(word)} is not a word of this model ("${SENTENCE_START}" is never predicted).`);
      return p;
    };
    cases.push({ sentences, prob, n });
  }
  return cases;
}

/**
 * Check a learner's `perplexity(sentences, prob, n)` for an n-gram model of any order: each sentence is
 * padded with n − 1 "<s>", every word and a final "</s>" is predicted from the n − 1 tokens before
 * it (oldest first), and the perplexity is exp(−(1/N) Σ ln P) over all N predicted tokens. Runs
 * bigram, trigram and 4-gram models.
 */
export function checkNgramPerplexity(fn: NgramPerplexityFn): void {
  requireFunction(fn, "checkNgramPerplexity", "checkNgramPerplexity(myPerplexity)");
  const cases = perplexityCases();
  for (const [t, { sentences, prob, n }] of cases.entries()) {
    const where = `case ${t + 1} (order ${n}, sentences ${show(sentences)})`;
    const got = callLearner("checkNgramPerplexity", where, () =>
      fn(
        sentences.map((s) => [...s]),
        prob,
        n,
      ),
    );
    if (typeof got !== "number") throw new Error(`${where}: perplexity must return a number, got ${typeof got}`);
    const want = referenceNgramPerplexity(sentences, prob, n);
    if (close(got, want, PPL_TOL)) continue;
    const cause =
      matchMistake(perplexityBugs(sentences, prob, n), (output) => close(got, output, PPL_TOL)) ??
      (Number.isFinite(got)
        ? `compare term by term with the chain rule: ln P(w₁ | ${new Array(n - 1).fill("<s>").join(" ")}) + ln P(w₂ | …) + … + ln P(</s> | the last ${n - 1} tokens)`
        : "a probability of 0 or a division by 0 somewhere");
    throw failure(`${where}: expected perplexity ${formatNumber(want, 12)}, got ${formatNumber(got, 12)}`, cause, "");
  }
  pass(`right: perplexity agrees with the reference on ${cases.length} random bigram, trigram and 4-gram models (to 1e-9).`);
}
