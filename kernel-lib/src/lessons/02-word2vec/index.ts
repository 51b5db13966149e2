// Lesson 02-word2vec: its parameters, helpers, exercise data and checkers (notebooks/02-word2vec.ipynb).
export * from "./params";
export * from "./lesson";
export * from "./exercises";
export * from "./charts";
