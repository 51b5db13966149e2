/**
 * kernel-lib/src/internals/tfjs-node.ts: the private fields of tfjs's backends it relies on. The
 * cpu backend's advert flag is checked on the installed tfjs; tfjs-node's GPU flag on the shape the
 * pinned version has (tfjs-node cannot install where these tests run).
 */
import * as tf from "@tensorflow/tfjs";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { silenceCpuAdvert, TFJS_PINNED, usesGpuDevice } from "../../../kernel-lib/src/internals/tfjs-node";

describe(`tfjs internals (pinned ${TFJS_PINNED})`, () => {
  it("the installed tfjs is the pinned one", () => {
    const version = JSON.parse(readFileSync(require.resolve("@tensorflow/tfjs/package.json"), "utf8")).version;
    expect(version, `internals/tfjs-node.ts was written against tfjs ${TFJS_PINNED}: review it before upgrading`).toBe(TFJS_PINNED);
  });

  it("the cpu backend still has the advert flag that silenceCpuAdvert sets", async () => {
    await tf.setBackend("cpu");
    await tf.ready();
    const cpu = tf.findBackend("cpu");
    expect(silenceCpuAdvert(cpu), `tfjs ${TFJS_PINNED}'s cpu backend has a boolean firstUse; this one does not`).toBe(true);
    expect((cpu as unknown as { firstUse: boolean }).firstUse).toBe(false);
    expect(silenceCpuAdvert(null)).toBe(false);
  });

  it("reads tfjs-node-gpu's device flag, and nothing else, as a GPU", () => {
    expect(usesGpuDevice({ isUsingGpuDevice: true })).toBe(true);
    expect(usesGpuDevice({ isUsingGpuDevice: false })).toBe(false);
    expect(usesGpuDevice({ isUsingGpuDevice: "yes" })).toBe(false);
    expect(usesGpuDevice(null)).toBe(false);
    expect(usesGpuDevice(tf.backend())).toBe(false);
  });
});
