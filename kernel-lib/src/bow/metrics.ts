import { checkClassIds } from "./labels";

/** Fraction of positions where prediction equals truth. */
export function accuracy(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  checkSameLength(yTrue, yPred);
  let hit = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === yPred[i]) hit++;
  return hit / yTrue.length;
}

/**
 * Confusion matrix: entry [t][p] counts items of true class t predicted as p. The diagonal holds
 * the correct answers; off-diagonal cells show which classes get mixed up.
 */
export function confusionMatrix(yTrue: ArrayLike<number>, yPred: ArrayLike<number>, nClasses: number): number[][] {
  checkSameLength(yTrue, yPred);
  checkClassIds(yTrue, nClasses, "yTrue");
  checkClassIds(yPred, nClasses, "yPred");
  const m = Array.from({ length: nClasses }, () => new Array<number>(nClasses).fill(0));
  for (let i = 0; i < yTrue.length; i++) m[yTrue[i]][yPred[i]]++;
  return m;
}

/**
 * The majority-class baseline: always predict the class most common in the *training* labels,
 * scored on the test labels. A classifier must beat this to have learned anything.
 */
export function majorityBaseline(yTrain: ArrayLike<number>, yTest: ArrayLike<number>, nClasses: number): { classId: number; accuracy: number } {
  if (yTrain.length === 0) throw new RangeError("yTrain is empty");
  if (yTest.length === 0) throw new RangeError("yTest is empty");
  checkClassIds(yTrain, nClasses, "yTrain");
  checkClassIds(yTest, nClasses, "yTest");
  const counts = new Array<number>(nClasses).fill(0);
  for (let i = 0; i < yTrain.length; i++) counts[yTrain[i]]++;
  let classId = 0;
  for (let c = 1; c < nClasses; c++) if (counts[c] > counts[classId]) classId = c;
  let hit = 0;
  for (let i = 0; i < yTest.length; i++) if (yTest[i] === classId) hit++;
  return { classId, accuracy: hit / yTest.length };
}

function checkSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length) throw new RangeError(`yTrue and yPred must have the same length, got ${a.length} and ${b.length}`);
  if (a.length === 0) throw new RangeError("yTrue is empty");
}
