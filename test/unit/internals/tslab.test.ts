// The shape of tslab's private module that kernel-lib/src/internals/tslab.ts relies on. When tslab
// is updated and this fails, read the new tslab/dist/jupyter.js and adapt internals/tslab.ts.
import { describe, expect, it } from "vitest";
import { TSLAB_PINNED, tslabDisplayWriter, tslabJupyter, tslabShapeProblems, tslabVersion } from "../../../kernel-lib/src/internals/tslab";

describe(`tslab internals (written for tslab ${TSLAB_PINNED})`, () => {
  it("is the pinned version", () => {
    expect(
      tslabVersion(),
      `tslab ${tslabVersion()} is installed but kernel-lib/src/internals/tslab.ts is written for ${TSLAB_PINNED}: ` +
        "check tslab/dist/jupyter's lastWriteDisplayData, then update TSLAB_PINNED and kernel-lib/package.json together",
    ).toBe(TSLAB_PINNED);
  });

  it("exports lastWriteDisplayData from tslab/dist/jupyter", () => {
    expect(tslabShapeProblems(), tslabShapeProblems().join("\n")).toEqual([]);
    expect(tslabJupyter()).not.toBeNull();
    // Outside a running cell there is no writer.
    expect(tslabDisplayWriter()).toBeNull();
  });

  it("reports a module that lost the property", () => {
    const jupyter = tslabJupyter() as unknown as Record<string, unknown>;
    const before = jupyter.lastWriteDisplayData;
    jupyter.lastWriteDisplayData = 42;
    try {
      expect(tslabShapeProblems()).toEqual([
        `tslab ${tslabVersion()} (kernel-lib/src/internals/tslab.ts is written for ${TSLAB_PINNED}): lastWriteDisplayData is a number, not null or a function`,
      ]);
    } finally {
      jupyter.lastWriteDisplayData = before;
    }
  });
});
