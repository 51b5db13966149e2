/**
 * The order in which vitest starts test files: the lesson notebooks first. notebooks-long.test.ts
 * (the three longest lessons, then the book) and notebooks.test.ts (the others) run every lesson
 * in fast mode, the longest chain of `npm test`; started first, they have a worker each, and the
 * other files follow. Otherwise vitest's own order
 * (failed, then slowest, then largest first).
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

export const FIRST = ["test/e2e/notebooks-long.test.ts", "test/e2e/notebooks.test.ts"];

export function lessonsFirst<T extends { moduleId: string }>(files: readonly T[]): T[] {
  const path = (f: T) => f.moduleId.replace(/\\/g, "/");
  const first = FIRST.flatMap((name) => files.filter((f) => path(f).endsWith(name)));
  return [...first, ...files.filter((f) => !first.includes(f))];
}

export default class LessonsFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return lessonsFirst(await super.sort(files));
  }
}
