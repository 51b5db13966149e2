// The public surface of kernel-lib/src/posttrain: from a text predictor to an assistant —
// SFT, sequence log-probs, a reward model, REINFORCE with KL, DPO.
export * from "./sft";
export * from "./logprob";
export * from "./step";
export * from "./reward";
export * from "./reinforce";
export * from "./dpo";
export * from "./generate";
