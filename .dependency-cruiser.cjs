/**
 * The import layers of the project, checked by `npm run layers` (dependency-cruiser) in CI:
 *
 *   tools (the llm-lessons command)                      top
 *   lessons: kernel-lib/src/lessons/NN-name/, one folder per notebook (its parameters,
 *            helpers, exercise data and checkers)
 *   topics: text, bow, word2vec, attention, gpt, scaling, posttrain, grokking
 *   charts, runtime (what runs in the kernel)
 *   tf (backends, ops, kernels)
 *   internals, util                                      bottom
 *
 * No cycles anywhere; each layer imports only from the layers below it (and from itself).
 */
const TOPICS = "(text|bow|word2vec|attention|gpt|scaling|posttrain|grokking)";
const LIB = "^kernel-lib/src/";
/** A topic's live layer: its long loops run with a progress bar and a live chart (e.g. gpt/live.ts). */
const LIVE = `${LIB}${TOPICS}/live\\.ts$`;

module.exports = {
  forbidden: [
    { name: "no-cycles", severity: "error", comment: "An import cycle: split out what both sides share.", from: {}, to: { circular: true } },
    { name: "library-never-imports-tools", severity: "error", from: { path: "^kernel-lib/" }, to: { path: "^tools/" } },
    {
      name: "bottom-layers-import-nothing-above",
      severity: "error",
      comment: "internals and util sit at the bottom.",
      from: { path: `${LIB}(internals|util)/` },
      to: { path: `${LIB}(tf|charts|runtime|${TOPICS.slice(1, -1)})/` },
    },
    {
      name: "tf-below-topics-and-ui",
      severity: "error",
      comment: "The compute layer draws nothing and records no metric.",
      from: { path: `${LIB}tf/` },
      to: { path: `${LIB}(charts|runtime|${TOPICS.slice(1, -1)})/` },
    },
    {
      name: "ui-below-topics",
      severity: "error",
      comment: "charts and the runtime know no lesson topic.",
      from: { path: `${LIB}(charts|runtime)/` },
      to: { path: `${LIB}${TOPICS}/` },
    },
    {
      name: "topic-mechanisms-below-ui",
      severity: "error",
      comment: "A topic's mechanisms report through callbacks; progress bars, charts and metrics belong to the lessons (or a topic's live.ts).",
      from: { path: `${LIB}${TOPICS}/`, pathNot: LIVE },
      to: { path: `${LIB}(charts|runtime)/`, pathNot: `${LIB}runtime/(params|interrupt)\\.ts$` },
    },
    {
      name: "lessons-above-the-library",
      severity: "error",
      comment: "A lesson's glue uses the topics, charts and runtime; nothing in the library imports a lesson (lessons may share with each other).",
      from: { path: LIB, pathNot: `${LIB}(lessons/|index\\.ts$)` },
      to: { path: `${LIB}lessons/` },
    },
    { name: "notebook-glue-not-imported-by-library", severity: "error", from: { path: "^kernel-lib/" }, to: { path: "^notebooks/" } },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)dist/|node_modules" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.typecheck.json" },
    enhancedResolveOptions: { exportsFields: ["exports"], conditionNames: ["require", "node", "default", "types"] },
  },
};
