/**
 * The lesson's classification tasks on State of the Union addresses: from the words of an
 * address, predict its era or the president's party.
 */

/** What the task needs from an address (the shape of `loadSotu()` items). */
export interface LabeledAddress {
  year: number;
  president: string;
  party: string;
  text: string;
}

/** The tasks: "era" (four periods of US history) or "party" (Democratic vs Republican). */
export const BOW_TASKS = ["era", "party"] as const;
export type BowTask = (typeof BOW_TASKS)[number];

/** Era boundaries: [first year, label]. */
export const ERAS: [number, string][] = [
  [1790, "1790-1860 early republic"],
  [1861, "1861-1932 civil war to depression"],
  [1933, "1933-1980 new deal, cold war"],
  [1981, "1981-2021 recent"],
];

/** The era label of a year (errors for years before 1790). */
export function eraOf(year: number): string {
  if (!Number.isInteger(year) || year < ERAS[0][0]) throw new RangeError(`year must be an integer >= ${ERAS[0][0]}, got ${year}`);
  let label = ERAS[0][1];
  for (const [start, name] of ERAS) if (year >= start) label = name;
  return label;
}

/** Documents, labels and groups (president) for a task, in the input order. */
export interface TaskData {
  texts: string[];
  labels: string[];
  groups: string[];
  years: number[];
  classes: string[];
}

/**
 * Build the task's dataset. "party" keeps only Democratic and Republican presidents (1829 on);
 * Whig, Federalist, Democratic-Republican and the rest are dropped, since two or three
 * presidents per party are too few to learn from.
 */
export function taskData(addresses: LabeledAddress[], task: string): TaskData {
  if (!(BOW_TASKS as readonly string[]).includes(task)) {
    throw new RangeError(`task must be one of ${BOW_TASKS.map((t) => `"${t}"`).join(", ")}, got ${JSON.stringify(task)}`);
  }
  if (!Array.isArray(addresses) || addresses.length === 0) throw new RangeError("addresses is empty: need a non-empty list of addresses");
  const kept = task === "party" ? addresses.filter((a) => a.party === "Democratic" || a.party === "Republican") : addresses;
  if (kept.length === 0) throw new RangeError(`no address has a label for task "${task}"`);
  const labels = kept.map((a) => (task === "party" ? a.party : eraOf(a.year)));
  return {
    texts: kept.map((a) => a.text),
    labels,
    groups: kept.map((a) => a.president),
    years: kept.map((a) => a.year),
    classes: [...new Set(labels)].sort(),
  };
}
