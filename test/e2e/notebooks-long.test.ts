/**
 * The three longest lesson notebooks run end to end in fast mode (see lesson-runs.ts), beside
 * notebooks.test.ts, which runs the others; then the book of every lesson, once both are done.
 */
import { LONG_LESSONS, allNotebooks, describeBook, describeLessonRuns } from "./lesson-runs";

describeLessonRuns(
  "the longest lesson notebooks in fast mode",
  allNotebooks().filter((f) => LONG_LESSONS.includes(f.replace(/\.ipynb$/, ""))),
);
describeBook();
