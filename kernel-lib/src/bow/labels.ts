/**
 * Class labels as integers. A classifier works with class ids 0 … K-1; people read names.
 */
export interface EncodedLabels {
  /** Class names; id c stands for classes[c]. */
  classes: string[];
  /** The id of each label. */
  ids: Int32Array;
}

/**
 * Map label strings to ids. Without `classes`, the classes are the distinct labels in sorted
 * order; with `classes`, a label outside it is an error that names it (so a typo in a class
 * name is caught rather than silently becoming a new class).
 */
export function encodeLabels(labels: string[], classes?: string[]): EncodedLabels {
  if (!Array.isArray(labels) || labels.length === 0) throw new RangeError("labels must be a non-empty array of strings");
  const names = classes ?? [...new Set(labels)].sort();
  if (names.length === 0) throw new RangeError("classes must not be empty");
  if (new Set(names).size !== names.length) throw new RangeError(`classes must be distinct, got ${JSON.stringify(names)}`);
  const index = new Map(names.map((c, i) => [c, i]));
  const ids = new Int32Array(labels.length);
  labels.forEach((label, i) => {
    const id = index.get(label);
    if (id === undefined) throw new RangeError(`labels[${i}] is the unknown class ${JSON.stringify(label)}; known classes: ${names.join(", ")}`);
    ids[i] = id;
  });
  return { classes: names, ids };
}

/** Check that a class-id array has valid ids for `nClasses` classes; the error names `field`. */
export function checkClassIds(ids: ArrayLike<number>, nClasses: number, field = "y"): void {
  if (!Number.isInteger(nClasses) || nClasses < 1) throw new RangeError(`nClasses must be an integer >= 1, got ${nClasses}`);
  for (let i = 0; i < ids.length; i++) {
    const c = ids[i];
    if (!Number.isInteger(c) || c < 0 || c >= nClasses) throw new RangeError(`${field}[${i}] must be a class id in [0, ${nClasses}), got ${c}`);
  }
}
