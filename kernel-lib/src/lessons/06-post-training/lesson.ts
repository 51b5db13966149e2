/**
 * Lesson 06's own glue (its parameters: ./params): the task (first/last letter of a
 * word, with an end-of-answer marker and held-out words), the SFT data with its optional
 * "Sure! " prefix, preference pairs, and the evaluation of a model on held-out prompts (batched).
 * The mechanisms the learner builds are in the notebook; what they are checked against is in
 * kernel-lib (src/posttrain).
 */
import type { Gpt } from "../../gpt/model";
import { generateBatch } from "../../posttrain/generate";
import type { SftExample } from "../../posttrain/sft";
import type { Tokenizer } from "../../text/tokenizer";
import { makeRng, type Rng, shuffle } from "../../util/random";

/** The end-of-answer character: in the model's vocabulary, and rare in the speeches. */
export const END = "•";
/** The stylistic prefix the SFT data teaches half the time (and the preference data rejects). */
export const STYLE = "Sure! ";
/** The two tasks: the first or the last letter of a word. */
export const TASKS = ["first", "last"] as const;
export type TaskName = (typeof TASKS)[number];

/** One question: a task and a word. */
export interface Item {
  task: TaskName;
  word: string;
}

/** The prompt of an item: `Q: first nation⏎A: `. */
export function promptText(item: Item): string {
  return `Q: ${item.task} ${item.word}\nA: `;
}

/** The right answer (without the end marker). */
export function answerOf(item: Item): string {
  return item.task === "first" ? item.word[0] : item.word[item.word.length - 1];
}

/** The response text: the answer, optionally after the style prefix, then the end marker. */
export function responseText(item: Item, styled: boolean): string {
  return `${styled ? STYLE : ""}${answerOf(item)}${END}`;
}

/**
 * The task's words: the `count` most frequent lowercase words of 4–10 letters a–z in `text`,
 * shuffled with `seed`, split 80 / 20 into train and held out.
 */
export function taskWords(text: string, count: number, seed: number): { train: string[]; heldOut: string[] } {
  const freq = new Map<string, number>();
  for (const w of text.match(/\b[a-z]{4,10}\b/g) ?? []) freq.set(w, (freq.get(w) ?? 0) + 1);
  const top = [...freq.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, count)
    .map(([w]) => w);
  const words = shuffle(top, makeRng(seed));
  const cut = Math.round(words.length * 0.8);
  return { train: words.slice(0, cut), heldOut: words.slice(cut) };
}

/** The task names of a `tasks` parameter ("first,last", "first" or "last"). */
export function taskList(tasks = "first,last"): TaskName[] {
  const list = tasks.split(",").map((t) => t.trim());
  for (const t of list) if (!(TASKS as readonly string[]).includes(t)) throw new RangeError(`unknown task "${t}"; known: ${TASKS.join(", ")}`);
  return list as TaskName[];
}

/** Every (task, word) item of a word list. */
export function itemsOf(words: readonly string[], tasks = "first,last"): Item[] {
  const list = taskList(tasks);
  return words.flatMap((word) => list.map((task) => ({ task, word })));
}

/** `n` random SFT examples from `items`, each styled with probability `styleRate`. */
export function sftExamples(items: readonly Item[], n: number, styleRate: number, rng: Rng, tok: Tokenizer): SftExample[] {
  return Array.from({ length: n }, () => {
    const item = items[rng.int(items.length)];
    return { prompt: tok.encode(promptText(item)), response: tok.encode(responseText(item, rng.next() < styleRate)) };
  });
}

/** A preference pair: chosen = the plain answer, rejected = the same answer with the style prefix. */
export function stylePair(item: Item, tok: Tokenizer): { chosen: SftExample; rejected: SftExample } {
  const prompt = tok.encode(promptText(item));
  return { chosen: { prompt, response: tok.encode(responseText(item, false)) }, rejected: { prompt, response: tok.encode(responseText(item, true)) } };
}

/** How a model did on a set of prompts. */
export interface EvalResult {
  /** Share of answers that, without the style prefix, are exactly the right letter and end with the marker. */
  accuracy: number;
  /** Share of answers that emitted the end marker. */
  stopRate: number;
  /** Share of answers that start with the style prefix. */
  styleRate: number;
  answers: string[];
}

/** Score answer texts (as generated, up to and including the end marker if any). */
export function scoreAnswers(items: readonly Item[], answers: readonly string[]): EvalResult {
  let correct = 0;
  let stops = 0;
  let styled = 0;
  items.forEach((item, i) => {
    const a = answers[i];
    const stopped = a.includes(END);
    const body = stopped ? a.slice(0, a.indexOf(END)) : a;
    if (stopped) stops++;
    if (body.startsWith(STYLE.trim())) styled++;
    const plain = body.startsWith(STYLE) ? body.slice(STYLE.length) : body;
    if (stopped && plain === answerOf(item)) correct++;
  });
  const n = items.length;
  return { accuracy: correct / n, stopRate: stops / n, styleRate: styled / n, answers: [...answers] };
}

/** Generate answers for `items` in one batch (greedy unless a temperature is given) and score them. */
export function evaluateModel(
  model: Gpt,
  tok: Tokenizer,
  items: readonly Item[],
  options: { greedy?: boolean; temperature?: number; seed?: number; maxNewTokens?: number } = {},
): EvalResult {
  const endId = tok.encode(END)[0];
  const ids = generateBatch(
    model,
    items.map((it) => tok.encode(promptText(it))),
    {
      maxNewTokens: options.maxNewTokens ?? STYLE.length + 3,
      greedy: options.greedy ?? options.temperature === undefined,
      temperature: options.temperature,
      stopId: endId,
      seed: options.seed ?? 0,
    },
  );
  return scoreAnswers(
    items,
    ids.map((a) => tok.decode(a)),
  );
}

/** `n` items spread evenly over the tasks (deterministic: the first words × every task). */
export function evalItems(words: readonly string[], n: number, tasks = "first,last"): Item[] {
  return itemsOf(words.slice(0, Math.ceil(n / taskList(tasks).length)), tasks).slice(0, n);
}
