// The public surface of kernel-lib/src/charts.
export {};
