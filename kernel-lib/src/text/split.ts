/**
 * Splitting text into words and sentences, for every script Unicode knows. A "word" is a run of
 * letters and combining marks (with inner apostrophes: "don't", "l'homme"), or a number ("1,000",
 * "3.14"). Chinese and Japanese are written without spaces, so each Han, Hiragana or Katakana
 * character is its own token — the simplest honest choice without a dictionary. Punctuation and
 * symbols are dropped.
 */

// Han / Hiragana / Katakana: one token per character.
const CJK = "\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}";
const APOSTROPHE = "['\u2019\u02BC]";
// Runs of letters and marks with inner apostrophes, or numbers with inner "." / ",".
const WORD_RE = new RegExp(`[\\p{L}\\p{M}]+(?:${APOSTROPHE}[\\p{L}\\p{M}]+)*|\\p{N}+(?:[.,]\\p{N}+)*`, "gu");
const HAS_CJK = new RegExp(`[${CJK}]`, "u");
// Inside a run that contains CJK: each CJK character (with its marks), or a run of other letters.
const CJK_PIECE = new RegExp(`[${CJK}]\\p{M}*|[^${CJK}]+`, "gu");
const EDGE_APOSTROPHES = new RegExp(`^${APOSTROPHE}+|${APOSTROPHE}+$`, "gu");

function pushWord(out: string[], word: string): void {
  if (!HAS_CJK.test(word)) {
    out.push(word);
    return;
  }
  for (const piece of word.match(CJK_PIECE) ?? []) {
    const w = piece.replace(EDGE_APOSTROPHES, "");
    if (w !== "") out.push(w);
  }
}

/** Options of `splitWords`. */
export interface SplitWordsOptions {
  /** Lower-case every word (default false). */
  lowercase?: boolean;
}

/** The words of `text`, in order (see the module comment for what counts as a word). */
export function splitWords(text: string, opts: SplitWordsOptions = {}): string[] {
  if (typeof text !== "string") throw new TypeError(`splitWords: text must be a string, got ${typeof text}`);
  const norm = text.normalize("NFC");
  const raw = norm.match(WORD_RE) ?? [];
  let words = raw;
  if (HAS_CJK.test(norm)) {
    words = [];
    for (const w of raw) pushWord(words, w);
  }
  return opts.lowercase ? words.map((w) => w.toLowerCase()) : words;
}

const TERMINAL = new Set([".", "!", "?", "\u2026"]); // … counts as an ending
const CJK_TERMINAL = new Set(["\u3002", "\uFF01", "\uFF1F", "\uFF0E"]); // 。！？．
const CLOSERS = new Set(['"', "'", "\u201D", "\u2019", ")", "]", "}", "\u00BB", "\u300D", "\u300F", "\uFF09"]);
// Abbreviations after which a full stop usually does not end a sentence.
const ABBREVIATIONS = new Set([
  "mr",
  "mrs",
  "u.s",
  "u.k",
  "a.m",
  "p.m",
  "ms",
  "dr",
  "prof",
  "sr",
  "jr",
  "st",
  "vs",
  "etc",
  "e.g",
  "i.e",
  "cf",
  "no",
  "vol",
  "fig",
  "gen",
  "gov",
  "sen",
  "rep",
  "col",
  "lt",
  "capt",
  "sgt",
  "mt",
  "inc",
  "ltd",
  "co",
  "corp",
  "dept",
  "jan",
  "feb",
  "mar",
  "apr",
  "jun",
  "jul",
  "aug",
  "sep",
  "sept",
  "oct",
  "nov",
  "dec",
]);

const SPACE_RE = /\s/u;
function isSpace(c: string | undefined): boolean {
  if (c === undefined) return false;
  const code = c.charCodeAt(0);
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code > 127 && SPACE_RE.test(c);
}

/** True when the "." at `dot` ends an abbreviation or an initial ("Mr.", "e.g.", "John F. Kennedy"). */
function isAbbreviation(text: string, from: number, dot: number): boolean {
  let i = dot;
  while (i > from && !isSpace(text[i - 1]) && text[i - 1] !== "(" && text[i - 1] !== '"') i--;
  const word = text.slice(i, dot).toLowerCase();
  if (word.length === 1 && /\p{L}/u.test(word)) return true;
  return ABBREVIATIONS.has(word);
}

/**
 * The sentences of `text`, trimmed, none empty. A sentence ends at ". ! ? …" followed by space
 * (and not after a known abbreviation or an initial, nor before a lower-case word), at "。！？"
 * (no space needed), or at a blank line. Nothing but whitespace between sentences is dropped.
 */
export function splitSentences(text: string): string[] {
  if (typeof text !== "string") throw new TypeError(`splitSentences: text must be a string, got ${typeof text}`);
  const out: string[] = [];
  const push = (a: number, b: number) => {
    const s = text.slice(a, b).trim();
    if (s !== "") out.push(s);
  };
  const n = text.length;
  let start = 0;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === "\n") {
      let j = i + 1;
      while (j < n && text[j] !== "\n" && isSpace(text[j])) j++;
      if (j < n && text[j] === "\n") {
        push(start, i);
        start = i = j + 1;
        continue;
      }
      i++;
      continue;
    }
    if (CJK_TERMINAL.has(c)) {
      let j = i + 1;
      while (j < n && (CJK_TERMINAL.has(text[j]) || CLOSERS.has(text[j]))) j++;
      push(start, j);
      start = i = j;
      continue;
    }
    if (TERMINAL.has(c)) {
      let j = i + 1;
      while (j < n && TERMINAL.has(text[j])) j++;
      while (j < n && CLOSERS.has(text[j])) j++;
      if (j === n || isSpace(text[j])) {
        let k = j;
        while (k < n && isSpace(text[k])) k++;
        const next = text[k];
        const lowerNext = next !== undefined && /\p{Ll}/u.test(next);
        const abbrev = c === "." && j === i + 1 && isAbbreviation(text, start, i);
        if (!lowerNext && !abbrev) {
          push(start, j);
          start = j;
        }
      }
      i = j;
      continue;
    }
    i++;
  }
  push(start, n);
  return out;
}
