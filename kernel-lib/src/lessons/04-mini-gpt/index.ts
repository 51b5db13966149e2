// Lesson 04-mini-gpt: its parameters, helpers, exercise data and checkers (notebooks/04-mini-gpt.ipynb).
export * from "./lesson";
export * from "./exercises";
