// Lesson 00-ngrams: its parameters, exercise data and checkers (notebooks/00-ngrams.ipynb).
export * from "./params";
export * from "./exercises";
export * from "./checkers";
