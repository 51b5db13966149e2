import { pass } from "../../util/checker";
import { NgramModel } from "../../text/ngram";

/** The candidate values of k in the add-k tuning exercise. */
export const ADD_K_CHOICES = [0.0001, 0.001, 0.01, 0.1, 1];

/** Check the add-k tuning exercise: `k` is the add-k value (from ADD_K_CHOICES) with the lowest held-out bigram perplexity. */
export function checkBestAddK(k: number, train: string[][], test: string[][]): void {
  const pps = ADD_K_CHOICES.map((kk) => NgramModel.train(train, { order: 2, smoothing: "add-k", k: kk }).perplexity(test).perplexity);
  const best = ADD_K_CHOICES[pps.indexOf(Math.min(...pps))];
  if (k !== best) {
    throw new Error(`not quite: k = ${k} is not the best. Train one add-k bigram per k in ADD_K_CHOICES and compare perplexity(test).`);
  }
  pass(`right: k = ${best} gives perplexity ${Math.min(...pps).toFixed(1)}; add-one (k = 1) gives ${pps[pps.length - 1].toFixed(1)}.`);
}
