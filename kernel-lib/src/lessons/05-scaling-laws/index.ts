// Lesson 05-scaling-laws: its parameters, helpers, exercise data and checkers (notebooks/05-scaling-laws.ipynb).
export * from "./params";
export * from "./presets";
export * from "./lesson";
export * from "./exercises";
export * from "./checkers";
