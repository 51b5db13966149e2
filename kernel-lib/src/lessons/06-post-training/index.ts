// Lesson 06-post-training: its parameters, helpers, exercise data and checkers (notebooks/06-post-training.ipynb).
export * from "./params";
export * from "./lesson";
export * from "./checkers";
