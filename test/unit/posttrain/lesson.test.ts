/** Lesson 06's glue: the task, its scoring and the word split. */
import { describe, expect, it } from "vitest";
import {
  answerOf,
  END,
  evalItems,
  itemsOf,
  promptText,
  responseText,
  scoreAnswers,
  STYLE,
  taskList,
  taskWords,
} from "../../../kernel-lib/src/lessons/06-post-training/lesson";

describe("the letter task", () => {
  it("formats prompts and responses", () => {
    const item = { task: "last" as const, word: "nation" };
    expect(promptText(item)).toBe("Q: last nation\nA: ");
    expect(answerOf(item)).toBe("n");
    expect(responseText(item, false)).toBe(`n${END}`);
    expect(responseText({ task: "first", word: "union" }, true)).toBe(`${STYLE}u${END}`);
  });

  it("scores the letter, the stop and the style separately", () => {
    const items = itemsOf(["plan"]); // first → p, last → n
    const r = scoreAnswers([...items, ...items], [`p${END}`, `Sure! n${END}`, "p", `x${END}`]);
    expect(r.accuracy).toBe(2 / 4); // "p" without the end marker does not count
    expect(r.stopRate).toBe(3 / 4);
    expect(r.styleRate).toBe(1 / 4);
  });

  it("splits frequent words 80/20, the same way for the same seed", () => {
    const text = "alpha beta gamma delta epsilon zeta theta iota kappa lambda ".repeat(3) + "alpha alpha beta";
    const a = taskWords(text, 10, 1);
    expect(a.train.length).toBe(8);
    expect(a.heldOut.length).toBe(2);
    expect(new Set([...a.train, ...a.heldOut]).size).toBe(10);
    expect(taskWords(text, 10, 1)).toEqual(a);
    expect(
      taskWords(text, 3, 1)
        .train.concat(taskWords(text, 3, 1).heldOut)
        .sort(),
    ).toEqual(["alpha", "beta", "delta"]);
    expect(evalItems(a.heldOut, 3).map((i) => i.task)).toEqual(["first", "last", "first"]);
    expect(evalItems(a.heldOut, 2, "first")).toEqual(a.heldOut.map((word) => ({ task: "first", word })));
    expect(taskList("first,last")).toEqual(["first", "last"]);
    expect(() => taskList("middle")).toThrow(/unknown task "middle"/);
  });
});
