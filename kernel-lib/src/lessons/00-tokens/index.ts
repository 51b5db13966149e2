// Lesson 00-tokens: its parameters, helpers, exercise data and checkers (notebooks/00-tokens.ipynb).
export * from "./params";
export * from "./lesson";
export * from "./exercises";
export * from "./checkers";
export * from "./encode-checker";
