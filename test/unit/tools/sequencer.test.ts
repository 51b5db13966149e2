import { describe, expect, it } from "vitest";
import { lessonsFirst } from "../../setup/sequencer";

describe("test file order", () => {
  it("starts the lesson notebooks first, the longest ones first, and keeps vitest's order for the rest", () => {
    const files = [
      "/r/test/unit/a.test.ts",
      "/r/test/e2e/notebooks.test.ts",
      "/r/test/e2e/runner.test.ts",
      "/r/test/e2e/notebooks-long.test.ts",
      "/r/test/unit/b.test.ts",
    ].map((moduleId) => ({
      moduleId,
    }));
    expect(lessonsFirst(files).map((f) => f.moduleId)).toEqual([
      "/r/test/e2e/notebooks-long.test.ts",
      "/r/test/e2e/notebooks.test.ts",
      "/r/test/unit/a.test.ts",
      "/r/test/e2e/runner.test.ts",
      "/r/test/unit/b.test.ts",
    ]);
  });

  it("leaves a run without the notebooks file as it was (e.g. --project unit)", () => {
    const files = [{ moduleId: "C:\\r\\test\\unit\\a.test.ts" }, { moduleId: "/r/test/unit/b.test.ts" }];
    expect(lessonsFirst(files)).toEqual(files);
  });
});
