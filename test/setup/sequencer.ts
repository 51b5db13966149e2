/**
 * The order in which vitest starts test files: the lesson notebooks first. notebooks.test.ts runs
 * every lesson in fast mode, one after another, and is about half of `npm test`; started first, it
 * has one worker to itself while the other worker takes the rest (unit files, the other e2e
 * files). Otherwise vitest's own order (failed, then slowest, then largest first).
 */
import { BaseSequencer, type TestSpecification } from "vitest/node";

export const FIRST = "test/e2e/notebooks.test.ts";

export function lessonsFirst<T extends { moduleId: string }>(files: readonly T[]): T[] {
  const first = files.filter((f) => f.moduleId.replace(/\\/g, "/").endsWith(FIRST));
  return [...first, ...files.filter((f) => !first.includes(f))];
}

export default class LessonsFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return lessonsFirst(await super.sort(files));
  }
}
