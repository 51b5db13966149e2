// Lesson 00-setup: its parameters, helpers, exercise data and checkers (notebooks/00-setup.ipynb).
export * from "./params";
export * from "./corpus-tour";
