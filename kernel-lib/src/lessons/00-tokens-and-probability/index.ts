// Lesson 00-tokens-and-probability: its parameters, helpers, exercise data and checkers (notebooks/00-tokens-and-probability.ipynb).
export * from "./params";
export * from "./lesson";
export * from "./exercises";
export * from "./checkers";
export * from "./encode-checker";
