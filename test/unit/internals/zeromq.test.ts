// The shape of zeromq (as tslab loads it) that kernel-lib/src/internals/zeromq.ts relies on. When
// zeromq is updated under tslab and this fails, adapt internals/zeromq.ts and runtime/send-queue.ts.
import { createRequire } from "module";
import { dirname } from "path";
import { describe, expect, it } from "vitest";
import { ZEROMQ_PINNED, loadTslabZeromq, shadowPublisherSend, tslabZeromqVersion, zeromqShapeProblems } from "../../../kernel-lib/src/internals/zeromq";

const req = createRequire(import.meta.url);

describe(`zeromq internals (written for zeromq ${ZEROMQ_PINNED}, under tslab)`, () => {
  it("is the pinned version", () => {
    expect(
      tslabZeromqVersion(),
      `zeromq ${tslabZeromqVersion()} is installed under tslab but kernel-lib/src/internals/zeromq.ts is written for ${ZEROMQ_PINNED}: ` +
        "check Publisher.prototype.send, then update ZEROMQ_PINNED",
    ).toBe(ZEROMQ_PINNED);
  });

  it("is the copy tslab itself loads", () => {
    const tslabDir = dirname(req.resolve("tslab/package.json"));
    expect(loadTslabZeromq()).toBe(req(req.resolve("zeromq", { paths: [tslabDir] })));
  });

  it("has a Publisher whose inherited send can be shadowed", () => {
    expect(zeromqShapeProblems(), zeromqShapeProblems().join("\n")).toEqual([]);
  });

  it("reports a module without Publisher", () => {
    expect(zeromqShapeProblems({} as never)).toEqual([
      `zeromq ${tslabZeromqVersion()} (kernel-lib/src/internals/zeromq.ts is written for ${ZEROMQ_PINNED}): zeromq no longer exports a Publisher class`,
    ]);
  });

  it("shadows send on a copy of the real class without touching the base class", () => {
    const zmq = loadTslabZeromq()!;
    class Sub extends (zmq.Publisher as unknown as new () => object) {}
    const fake = { Publisher: Sub as unknown as typeof zmq.Publisher };
    const inheritedBefore = zmq.Publisher.prototype.send;
    let wrapped: unknown = null;
    shadowPublisherSend(fake, (inherited) => {
      wrapped = inherited;
      return inherited;
    });
    expect(wrapped).toBe(inheritedBefore);
    expect(Object.getOwnPropertyDescriptor(Sub.prototype, "send")?.writable).toBe(true);
    expect(zmq.Publisher.prototype.send).toBe(inheritedBefore);
  });
});
