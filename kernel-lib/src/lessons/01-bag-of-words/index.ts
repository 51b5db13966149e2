// Lesson 01-bag-of-words: its parameters, helpers, exercise data and checkers (notebooks/01-bag-of-words.ipynb).
export * from "./params";
export * from "./exercises";
export * from "./checkers";
