// Lesson 03-attention: its parameters, helpers, exercise data and checkers (notebooks/03-attention.ipynb).
export * from "./params";
export * from "./lesson";
export * from "./exercises";
export * from "./checkers";
