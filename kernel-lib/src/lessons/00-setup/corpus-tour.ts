/**
 * The exercise checker of notebooks/00-setup.ipynb, the tour that checks the set-up
 * end to end and looks at the corpora the lessons use.
 */
import { pass } from "../../util/checker";
import { loadSotu } from "../../text/corpora";
import { splitWords } from "../../text/split";

/** The year of the longest State of the Union address, counted in `splitWords` words. */
export function longestSotuAddress(): { year: number; president: string; words: number } {
  let best = { year: 0, president: "", words: -1 };
  for (const d of loadSotu()) {
    const words = splitWords(d.text).length;
    if (words > best.words) best = { year: d.year, president: d.president, words };
  }
  return best;
}

/** Exercise: the year of the longest address. Throws a hint when wrong, prints "✓ …" when right. */
export function checkLongestAddress(year: unknown): void {
  if (typeof year !== "number" || !Number.isInteger(year)) {
    throw new TypeError(`answer must be a year (an integer such as 1946), got ${JSON.stringify(year)}`);
  }
  const best = longestSotuAddress();
  if (year !== best.year) {
    const hint =
      year < 1790 || year > 2021
        ? "the addresses run from 1790 to 2021"
        : "count the words of every address with splitWords(d.text).length and keep the largest";
    throw new Error(`${year} is not the year of the longest address: ${hint}`);
  }
  pass(`${best.year}: ${best.president}'s address has ${best.words.toLocaleString("en-US")} words, the longest of all.`);
}
