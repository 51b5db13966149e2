/** Lesson 00-tokens' own data: strings that make tokenizers disagree. */

/** One string that makes tokenizers disagree: capitals, numbers, code, emoji, Chinese, Russian. */
export const MIXED_SAMPLE = "Hello WORLD! In 2024 we paid $1,234.56 for 3 🍕🍕 — 你好，世界 and Привет, мир. if (x >= 10) { return x ** 2; }";

/** The same short message in several languages (and some code), for tokens-per-word. */
export const LANGUAGE_SAMPLES: Record<string, string> = {
  English:
    "The president spoke to the nation about the economy, the schools and the new roads. Everyone listened, and many people agreed that the country must work together.",
  Spanish:
    "El presidente habló a la nación sobre la economía, las escuelas y las nuevas carreteras. Todos escucharon, y mucha gente estuvo de acuerdo en que el país debe trabajar unido.",
  Russian: "Президент обратился к народу с речью об экономике, школах и новых дорогах. Все слушали, и многие согласились, что страна должна работать вместе.",
  Chinese: "总统向全国发表讲话，谈到了经济、学校和新的道路。大家都在听，很多人同意国家必须团结一致。",
  Code: "for (let i = 0; i < words.length; i++) {\n  counts[words[i]] = (counts[words[i]] ?? 0) + 1;\n}\nconsole.log(Object.keys(counts).length);",
};
