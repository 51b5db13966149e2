// Lesson 07-grokking: its parameters, helpers, exercise data and checkers (notebooks/07-grokking.ipynb).
export * from "./params";
export * from "./lesson";
export * from "./checkers";
export * from "./live";
