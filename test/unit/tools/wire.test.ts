import { createHmac } from "crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DELIMITER, makeMessage, parse, serialize, sign } from "../../../tools/src/runner/wire";

const KEY = "0123456789abcdef";

describe("sign", () => {
  it("is the hex HMAC-SHA256 of the parts in order", () => {
    const parts = ['{"a":1}', "{}", "{}", '{"code":"1+1"}'];
    const expected = createHmac("sha256", KEY).update(parts.join("")).digest("hex");
    expect(sign(KEY, parts)).toBe(expected);
    expect(sign(KEY, parts)).toHaveLength(64);
  });

  it("is empty when signing is off (empty key)", () => {
    expect(sign("", ["{}"])).toBe("");
  });
});

describe("serialize / parse", () => {
  it("round-trips a message through the wire frames", () => {
    const msg = makeMessage("execute_request", "sess", { code: "let x = 1;", silent: false });
    const frames = serialize(msg, KEY);
    expect(frames[0].toString()).toBe(DELIMITER);
    expect(frames).toHaveLength(6);
    const back = parse(frames, KEY);
    expect(back.header).toEqual(msg.header);
    expect(back.content).toEqual({ code: "let x = 1;", silent: false });
    expect(back.parent_header).toEqual({});
  });

  it("skips routing identities before the delimiter", () => {
    const msg = makeMessage("status", "s", { execution_state: "idle" });
    const frames = [Buffer.from("peer-1"), Buffer.from("peer-2"), ...serialize(msg, KEY)];
    expect(parse(frames, KEY).content).toEqual({ execution_state: "idle" });
  });

  it("rejects a message signed with another key", () => {
    const frames = serialize(makeMessage("status", "s", {}), "other-key");
    expect(() => parse(frames, KEY)).toThrow(/invalid message signature/);
  });

  it("rejects a tampered content frame", () => {
    const frames = serialize(makeMessage("stream", "s", { name: "stdout", text: "hi" }), KEY);
    frames[5] = Buffer.from(JSON.stringify({ name: "stdout", text: "HI" }));
    expect(() => parse(frames, KEY)).toThrow(/invalid message signature/);
  });

  it("names malformed messages", () => {
    expect(() => parse([Buffer.from("a"), Buffer.from("b")], KEY)).toThrow(/no <IDS\|MSG> delimiter/);
    expect(() => parse([Buffer.from(DELIMITER), Buffer.from("")], KEY)).toThrow(/at least 6 frames/);
    const bad = [Buffer.from("{not json"), Buffer.from("{}"), Buffer.from("{}"), Buffer.from("{}")];
    expect(() => parse([Buffer.from(DELIMITER), Buffer.from(sign(KEY, bad)), ...bad], KEY)).toThrow(/header is not JSON/);
  });

  it("round-trips any JSON content (property)", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.string({ minLength: 1 }), (content, key) => {
        const msg = makeMessage("x", "s", content);
        const back = parse(serialize(msg, key), key);
        expect(back.content).toEqual(JSON.parse(JSON.stringify(content)));
      }),
      { seed: 42, numRuns: 200 },
    );
  });
});
