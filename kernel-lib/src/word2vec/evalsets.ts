/**
 * Small evaluation sets written for this project (not copies of published lists), built from
 * words that are frequent in the State of the Union corpus. They are approximate: the analogy
 * categories are unambiguous grammatical or geographic relations, and the similarity scores are
 * one person's ratings on a 0–10 scale. Use them to compare models trained on the same corpus
 * (ours versus gensim), not to compare with published benchmark numbers.
 */
import SOTU_WORD_PAIR_DATA from "./sotu-word-pairs.json";

/** Word pairs per analogy category: every ordered pair of pairs makes one question. */
export const SOTU_ANALOGY_CATEGORIES: Record<string, [string, string][]> = {
  "country-adjective": [
    ["france", "french"],
    ["germany", "german"],
    ["russia", "russian"],
    ["britain", "british"],
    ["japan", "japanese"],
    ["china", "chinese"],
    ["mexico", "mexican"],
    ["spain", "spanish"],
    ["italy", "italian"],
    ["america", "american"],
    ["cuba", "cuban"],
    ["canada", "canadian"],
    ["europe", "european"],
    ["africa", "african"],
    ["asia", "asian"],
  ],
  "country-capital": [
    ["france", "paris"],
    ["england", "london"],
    ["germany", "berlin"],
    ["russia", "moscow"],
    ["japan", "tokyo"],
    ["italy", "rome"],
    ["spain", "madrid"],
    ["cuba", "havana"],
    ["china", "peking"],
    ["austria", "vienna"],
  ],
  "singular-plural": [
    ["nation", "nations"],
    ["state", "states"],
    ["war", "wars"],
    ["tax", "taxes"],
    ["law", "laws"],
    ["year", "years"],
    ["citizen", "citizens"],
    ["treaty", "treaties"],
    ["right", "rights"],
    ["program", "programs"],
    ["school", "schools"],
    ["job", "jobs"],
    ["family", "families"],
    ["child", "children"],
    ["man", "men"],
    ["woman", "women"],
    ["worker", "workers"],
    ["farmer", "farmers"],
    ["country", "countries"],
    ["city", "cities"],
    ["soldier", "soldiers"],
    ["ship", "ships"],
    ["officer", "officers"],
    ["price", "prices"],
    ["dollar", "dollars"],
    ["power", "powers"],
  ],
  "verb-past": [
    ["go", "went"],
    ["make", "made"],
    ["take", "took"],
    ["give", "gave"],
    ["see", "saw"],
    ["come", "came"],
    ["know", "knew"],
    ["begin", "began"],
    ["send", "sent"],
    ["pay", "paid"],
    ["grow", "grew"],
    ["build", "built"],
    ["win", "won"],
    ["lose", "lost"],
    ["fight", "fought"],
    ["speak", "spoke"],
    ["write", "wrote"],
    ["bring", "brought"],
    ["keep", "kept"],
    ["meet", "met"],
    ["hold", "held"],
    ["leave", "left"],
    ["find", "found"],
    ["tell", "told"],
  ],
  "verb-ing": [
    ["make", "making"],
    ["build", "building"],
    ["increase", "increasing"],
    ["reduce", "reducing"],
    ["provide", "providing"],
    ["protect", "protecting"],
    ["work", "working"],
    ["help", "helping"],
    ["create", "creating"],
    ["improve", "improving"],
    ["develop", "developing"],
    ["support", "supporting"],
    ["strengthen", "strengthening"],
    ["pay", "paying"],
  ],
  comparative: [
    ["great", "greater"],
    ["large", "larger"],
    ["small", "smaller"],
    ["high", "higher"],
    ["low", "lower"],
    ["strong", "stronger"],
    ["long", "longer"],
    ["early", "earlier"],
    ["few", "fewer"],
    ["hard", "harder"],
    ["wide", "wider"],
    ["easy", "easier"],
    ["young", "younger"],
    ["safe", "safer"],
    ["cheap", "cheaper"],
  ],
  gender: [
    ["man", "woman"],
    ["men", "women"],
    ["he", "she"],
    ["his", "her"],
    ["father", "mother"],
    ["son", "daughter"],
    ["brother", "sister"],
    ["husband", "wife"],
    ["boy", "girl"],
    ["boys", "girls"],
    ["king", "queen"],
  ],
  ordinal: [
    ["one", "first"],
    ["two", "second"],
    ["three", "third"],
    ["four", "fourth"],
    ["five", "fifth"],
    ["six", "sixth"],
    ["seven", "seventh"],
    ["ten", "tenth"],
  ],
  "month-next": [
    ["january", "february"],
    ["february", "march"],
    ["march", "april"],
    ["april", "may"],
    ["june", "july"],
    ["july", "august"],
    ["august", "september"],
    ["september", "october"],
    ["october", "november"],
    ["november", "december"],
  ],
};

/**
 * The analogy set in questions-words format (": category" headers, "a b c d" lines; no comment
 * lines, which gensim's reader rejects).
 */
export function sotuAnalogyText(): string {
  const lines: string[] = [];
  for (const [name, pairs] of Object.entries(SOTU_ANALOGY_CATEGORIES)) {
    lines.push(`: ${name}`);
    for (let i = 0; i < pairs.length; i++) {
      for (let j = 0; j < pairs.length; j++) {
        if (i === j) continue;
        const [a, b] = pairs[i];
        const [c, d] = pairs[j];
        if (new Set([a, b, c, d]).size < 4) continue;
        lines.push(`${a} ${b} ${c} ${d}`);
      }
    }
  }
  return lines.join("\n") + "\n";
}

/** Word pairs with similarity ratings 0 (unrelated) – 10 (near-synonyms), one rater (the list is sotu-word-pairs.json). */
export const SOTU_WORD_PAIRS = SOTU_WORD_PAIR_DATA as [string, string, number][];

/** The pair set as a tab-separated file (w1, w2, score), the format gensim's evaluate_word_pairs reads. */
export function sotuWordPairsText(): string {
  return (
    [
      "# Original word-pair ratings (0-10) on State of the Union words; approximate, one rater.",
      ...SOTU_WORD_PAIRS.map(([a, b, s]) => `${a}\t${b}\t${s}`),
    ].join("\n") + "\n"
  );
}
