/**
 * Every lesson notebook but the three longest runs end to end in fast mode (see lesson-runs.ts);
 * notebooks-long.test.ts runs those three beside this file, then the book of every lesson.
 */
import { LONG_LESSONS, allNotebooks, describeLessonRuns, markLessonsRunning } from "./lesson-runs";

markLessonsRunning();
describeLessonRuns(
  "lesson notebooks in fast mode",
  allNotebooks().filter((f) => !LONG_LESSONS.includes(f.replace(/\.ipynb$/, ""))),
);
