/**
 * The import layers of the project, checked by `npm run layers` (dependency-cruiser) in CI:
 *
 *   tools (the llm-lessons command)                      top
 *   lesson glue: notebooks/NN-name/, <topic>/lesson.ts, exercises and checkers
 *   topics: text, bow, word2vec, attention, gpt, scaling, posttrain, grokking
 *   charts, runtime (what runs in the kernel)
 *   tf (backends, ops, kernels)
 *   internals, util                                      bottom
 *
 * No cycles anywhere; each layer imports only from the layers below it (and from itself).
 */
const TOPICS = "(text|bow|word2vec|attention|gpt|scaling|posttrain|grokking)";
const LIB = "^kernel-lib/src/";
/** Lesson glue inside a topic folder: what notebooks call around the mechanisms, and the exercises. */
const GLUE = `${LIB}${TOPICS}/(lesson|exercises|checkers|presets|corpus-tour|encode-checker|charts|timing|live|summary)\\.ts$`;

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
      comment: "A topic's mechanisms report through callbacks; progress bars, charts and metrics belong to lesson glue.",
      from: { path: `${LIB}${TOPICS}/`, pathNot: GLUE },
      to: { path: `${LIB}(charts|runtime)/`, pathNot: `${LIB}runtime/(params|interrupt)\\.ts$` },
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
