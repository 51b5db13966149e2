import { splitSentences, splitWords } from "../../text/split";

/** One string that makes tokenizers disagree: capitals, numbers, code, emoji, Chinese, Russian. */
export const MIXED_SAMPLE = "Hello WORLD! In 2024 we paid $1,234.56 for 3 🍕🍕 — 你好，世界 and Привет, мир. if (x >= 10) { return x ** 2; }";

/** The same short message in several languages (and some code), for tokens-per-word. */
export const LANGUAGE_SAMPLES: Record<string, string> = {
  English:
    "The president spoke to the nation about the economy, the schools and the new roads. Everyone listened, and many people agreed that the country must work together.",
  Spanish:
    "El presidente habló a la nación sobre la economía, las escuelas y las nuevas carreteras. Todos escucharon, y mucha gente estuvo de acuerdo en que el país debe trabajar unido.",
  Russian: "Президент обратился к народу с речью об экономике, школах и новых дорогах. Все слушали, и многие согласились, что страна должна работать вместе.",
  Chinese: "总统向全国发表讲话，谈到了经济、学校和新的道路。大家都在听，很多人同意国家必须团结一致。",
  Code: "for (let i = 0; i < words.length; i++) {\n  counts[words[i]] = (counts[words[i]] ?? 0) + 1;\n}\nconsole.log(Object.keys(counts).length);",
};

/** A corpus cut into lower-cased word sentences, with every `heldOutEvery`-th sentence held out. */
export interface PreparedCorpus {
  /** The (possibly shortened) text. */
  text: string;
  train: string[][];
  test: string[][];
  /** Words in train + test. */
  words: number;
}

/**
 * Shorten a corpus to `maxChars` (0 = keep all), split it into sentences of lower-cased words,
 * and hold out every `heldOutEvery`-th sentence (default 10) for measuring perplexity on text
 * the model never counted.
 */
export function prepareCorpus(text: string, options: { maxChars?: number; heldOutEvery?: number } = {}): PreparedCorpus {
  const maxChars = options.maxChars ?? 0;
  const every = options.heldOutEvery ?? 10;
  if (!Number.isInteger(maxChars) || maxChars < 0) throw new RangeError(`maxChars must be an integer >= 0, got ${maxChars}`);
  if (!Number.isInteger(every) || every < 2) throw new RangeError(`heldOutEvery must be an integer >= 2, got ${every}`);
  const cut = maxChars > 0 && text.length > maxChars ? text.slice(0, maxChars) : text;
  const train: string[][] = [];
  const test: string[][] = [];
  let words = 0;
  let i = 0;
  for (const sentence of splitSentences(cut)) {
    const w = splitWords(sentence, { lowercase: true });
    if (w.length === 0) continue;
    words += w.length;
    (++i % every === 0 ? test : train).push(w);
  }
  if (test.length === 0) throw new RangeError(`the corpus has too few sentences (${train.length}) to hold any out`);
  return { text: cut, train, test, words };
}
