import { makeRng, shuffle } from "../util";

/** Row numbers of a train/test split, plus the groups that went to the test side. */
export interface Split {
  train: number[];
  test: number[];
  testGroups: string[];
}

/** Options of groupSplit. */
export interface GroupSplitOptions {
  /** Fraction of documents to hold out (default 0.25). */
  testFraction?: number;
  /** Seed of the shuffle of the groups (default 1). */
  seed?: number;
  /**
   * A label per document: hold out about `testFraction` of every class (each group counts for
   * the class most of its documents have), so that no class is (nearly) missing from training.
   */
  stratify?: string[];
}

/**
 * A seeded train/test split that keeps every group on one side. For State of the Union
 * addresses the group is the president: a random split by address would put, say, Obama 2013 in
 * training and Obama 2014 in the test set, and the classifier could "recognise Obama" (his
 * phrases, his issues) instead of the era or party — leakage that inflates the score. Groups are
 * shuffled with `seed` and moved to the test side until it holds at least `testFraction` of the
 * documents (of each class, with `stratify`); every class keeps at least one group in training.
 */
export function groupSplit(groups: string[], options: GroupSplitOptions = {}): Split {
  if (!Array.isArray(groups) || groups.length === 0) throw new RangeError("groups must be a non-empty array of strings");
  const testFraction = options.testFraction ?? 0.25;
  if (!(testFraction > 0 && testFraction < 1)) throw new RangeError(`testFraction must be in (0, 1), got ${testFraction}`);
  const strata = options.stratify ?? groups.map(() => "");
  if (strata.length !== groups.length) throw new RangeError(`stratify has ${strata.length} labels but groups has ${groups.length}`);
  const unique = [...new Set(groups)];
  if (unique.length < 2) throw new RangeError(`groups must contain at least 2 distinct groups to split, got ${unique.length}`);

  // Each group's size and its stratum (the most common label among its documents; ties: first seen).
  const size = new Map<string, number>();
  const labelCounts = new Map<string, Map<string, number>>();
  groups.forEach((g, i) => {
    size.set(g, (size.get(g) ?? 0) + 1);
    const m = labelCounts.get(g) ?? new Map<string, number>();
    m.set(strata[i], (m.get(strata[i]) ?? 0) + 1);
    labelCounts.set(g, m);
  });
  const stratumOf = new Map<string, string>();
  for (const [g, m] of labelCounts) {
    let best = "";
    let bestN = -1;
    for (const [label, n] of m) if (n > bestN) [best, bestN] = [label, n];
    stratumOf.set(g, best);
  }
  const stratumSize = new Map<string, number>();
  const stratumGroups = new Map<string, number>();
  for (const g of unique) {
    const s = stratumOf.get(g)!;
    stratumSize.set(s, (stratumSize.get(s) ?? 0) + size.get(g)!);
    stratumGroups.set(s, (stratumGroups.get(s) ?? 0) + 1);
  }

  const order = shuffle(unique.slice(), makeRng(options.seed ?? 1));
  const testGroups = new Set<string>();
  const taken = new Map<string, { docs: number; groups: number }>();
  for (const g of order) {
    const s = stratumOf.get(g)!;
    const t = taken.get(s) ?? { docs: 0, groups: 0 };
    if (t.docs >= testFraction * stratumSize.get(s)! || t.groups + 1 >= stratumGroups.get(s)!) continue;
    testGroups.add(g);
    taken.set(s, { docs: t.docs + size.get(g)!, groups: t.groups + 1 });
  }
  const train: number[] = [];
  const test: number[] = [];
  groups.forEach((g, i) => (testGroups.has(g) ? test : train).push(i));
  if (test.length === 0) throw new RangeError("the split left no test documents: use more groups or a larger testFraction");
  return { train, test, testGroups: order.filter((g) => testGroups.has(g)) };
}
