/**
 * Small evaluation sets written for this project (not copies of published lists), built from
 * words that are frequent in the State of the Union corpus. They are approximate: the analogy
 * categories are unambiguous grammatical or geographic relations, and the similarity scores are
 * one person's ratings on a 0–10 scale. Use them to compare models trained on the same corpus
 * (ours versus gensim), not to compare with published benchmark numbers.
 */

/** Word pairs per analogy category: every ordered pair of pairs makes one question. */
export const SOTU_ANALOGY_CATEGORIES: Record<string, [string, string][]> = {
  "country-adjective": [
    ["france", "french"], ["germany", "german"], ["russia", "russian"], ["britain", "british"], ["japan", "japanese"],
    ["china", "chinese"], ["mexico", "mexican"], ["spain", "spanish"], ["italy", "italian"], ["america", "american"],
    ["cuba", "cuban"], ["canada", "canadian"], ["europe", "european"], ["africa", "african"], ["asia", "asian"],
  ],
  "country-capital": [
    ["france", "paris"], ["england", "london"], ["germany", "berlin"], ["russia", "moscow"], ["japan", "tokyo"],
    ["italy", "rome"], ["spain", "madrid"], ["cuba", "havana"], ["china", "peking"], ["austria", "vienna"],
  ],
  "singular-plural": [
    ["nation", "nations"], ["state", "states"], ["war", "wars"], ["tax", "taxes"], ["law", "laws"], ["year", "years"],
    ["citizen", "citizens"], ["treaty", "treaties"], ["right", "rights"], ["program", "programs"], ["school", "schools"],
    ["job", "jobs"], ["family", "families"], ["child", "children"], ["man", "men"], ["woman", "women"],
    ["worker", "workers"], ["farmer", "farmers"], ["country", "countries"], ["city", "cities"], ["soldier", "soldiers"],
    ["ship", "ships"], ["officer", "officers"], ["price", "prices"], ["dollar", "dollars"], ["power", "powers"],
  ],
  "verb-past": [
    ["go", "went"], ["make", "made"], ["take", "took"], ["give", "gave"], ["see", "saw"], ["come", "came"],
    ["know", "knew"], ["begin", "began"], ["send", "sent"], ["pay", "paid"], ["grow", "grew"], ["build", "built"],
    ["win", "won"], ["lose", "lost"], ["fight", "fought"], ["speak", "spoke"], ["write", "wrote"], ["bring", "brought"],
    ["keep", "kept"], ["meet", "met"], ["hold", "held"], ["leave", "left"], ["find", "found"], ["tell", "told"],
  ],
  "verb-ing": [
    ["make", "making"], ["build", "building"], ["increase", "increasing"], ["reduce", "reducing"], ["provide", "providing"],
    ["protect", "protecting"], ["work", "working"], ["help", "helping"], ["create", "creating"], ["improve", "improving"],
    ["develop", "developing"], ["support", "supporting"], ["strengthen", "strengthening"], ["pay", "paying"],
  ],
  comparative: [
    ["great", "greater"], ["large", "larger"], ["small", "smaller"], ["high", "higher"], ["low", "lower"],
    ["strong", "stronger"], ["long", "longer"], ["early", "earlier"], ["few", "fewer"], ["hard", "harder"],
    ["wide", "wider"], ["easy", "easier"], ["young", "younger"], ["safe", "safer"], ["cheap", "cheaper"],
  ],
  gender: [
    ["man", "woman"], ["men", "women"], ["he", "she"], ["his", "her"], ["father", "mother"], ["son", "daughter"],
    ["brother", "sister"], ["husband", "wife"], ["boy", "girl"], ["boys", "girls"], ["king", "queen"],
  ],
  ordinal: [
    ["one", "first"], ["two", "second"], ["three", "third"], ["four", "fourth"], ["five", "fifth"],
    ["six", "sixth"], ["seven", "seventh"], ["ten", "tenth"],
  ],
  "month-next": [
    ["january", "february"], ["february", "march"], ["march", "april"], ["april", "may"], ["june", "july"],
    ["july", "august"], ["august", "september"], ["september", "october"], ["october", "november"], ["november", "december"],
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

/** Word pairs with similarity ratings 0 (unrelated) – 10 (near-synonyms), one rater. */
export const SOTU_WORD_PAIRS: [string, string, number][] = [
  ["tax", "taxes", 9.5], ["tax", "taxation", 9], ["tax", "revenue", 8], ["tax", "income", 6.5], ["tax", "tariff", 7.5],
  ["tax", "army", 0.5], ["tax", "ocean", 0.5], ["war", "conflict", 8.5], ["war", "hostilities", 8.5], ["war", "peace", 5],
  ["war", "army", 7], ["war", "battle", 8], ["war", "soldiers", 6.5], ["war", "school", 0.5], ["war", "farmer", 1],
  ["army", "navy", 8], ["army", "troops", 8.5], ["army", "soldiers", 8.5], ["navy", "ships", 7.5], ["navy", "vessels", 7],
  ["congress", "senate", 8], ["congress", "legislature", 8.5], ["congress", "legislation", 6], ["senate", "house", 6.5],
  ["president", "executive", 7.5], ["president", "congress", 5], ["treaty", "convention", 7.5], ["treaty", "agreement", 8.5],
  ["treaty", "negotiations", 6.5], ["treaty", "farm", 0.5], ["money", "currency", 8.5], ["money", "dollars", 8], ["money", "gold", 6.5],
  ["gold", "silver", 8], ["silver", "coinage", 7], ["bank", "banks", 9], ["bank", "credit", 6.5], ["debt", "deficit", 7.5],
  ["debt", "loans", 7], ["budget", "spending", 7.5], ["budget", "expenditures", 7.5], ["spending", "expenditures", 8.5],
  ["economy", "economic", 8.5], ["economy", "growth", 6], ["economy", "prosperity", 6.5], ["jobs", "employment", 8.5],
  ["jobs", "workers", 7], ["workers", "labor", 8], ["unemployment", "jobs", 6], ["school", "schools", 9.5], ["school", "education", 8],
  ["education", "students", 7], ["teachers", "students", 7], ["children", "families", 6.5], ["health", "medical", 8],
  ["health", "care", 7], ["hospitals", "medical", 7], ["farmers", "agriculture", 8.5], ["farm", "crops", 7], ["land", "lands", 9],
  ["land", "territory", 7.5], ["territory", "territories", 9], ["indian", "tribes", 7], ["railroad", "railroads", 9.5],
  ["railroads", "transportation", 7], ["ships", "vessels", 9], ["ocean", "sea", 9], ["river", "rivers", 9.5], ["canal", "isthmus", 6.5],
  ["freedom", "liberty", 9], ["freedom", "democracy", 7], ["justice", "law", 6.5], ["law", "laws", 9.5], ["court", "courts", 9.5],
  ["court", "judges", 7.5], ["crime", "criminals", 8], ["crime", "drugs", 5], ["soviet", "russia", 8], ["soviet", "communist", 7.5],
  ["nuclear", "weapons", 7.5], ["nuclear", "atomic", 8.5], ["terrorists", "terror", 8.5], ["terrorists", "enemies", 6.5],
  ["america", "american", 8.5], ["america", "nation", 7], ["nation", "country", 9], ["nation", "people", 5.5], ["citizens", "people", 7.5],
  ["government", "administration", 7.5], ["government", "federal", 7], ["states", "union", 6], ["constitution", "constitutional", 9],
  ["mexico", "mexican", 8.5], ["spain", "cuba", 5], ["britain", "england", 9], ["france", "germany", 6], ["china", "japan", 6],
  ["january", "february", 7], ["first", "second", 6.5], ["great", "greater", 8], ["increase", "increased", 9], ["reduce", "reduction", 8.5],
  ["energy", "oil", 7.5], ["oil", "gas", 7.5], ["energy", "court", 0.5], ["gold", "children", 0.5], ["congress", "ocean", 0.5],
  ["teachers", "navy", 0.5], ["oil", "liberty", 0.5], ["tariff", "hospitals", 0.5], ["railroad", "democracy", 0.5], ["silver", "terrorists", 0.5],
];

/** The pair set as a tab-separated file (w1, w2, score), the format gensim's evaluate_word_pairs reads. */
export function sotuWordPairsText(): string {
  return ["# Original word-pair ratings (0-10) on State of the Union words; approximate, one rater.", ...SOTU_WORD_PAIRS.map(([a, b, s]) => `${a}\t${b}\t${s}`)].join("\n") + "\n";
}
