/**
 * kernel-lib reaches into @tensorflow/tfjs-backend-wasm's internals in one module
 * (kernel-lib/src/internals/tfjs-backend-wasm.ts). These tests fail, naming the pinned version,
 * when an upgrade changes what that module relies on.
 */
import { beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import {
  heapMemory,
  heapOffset,
  heapView,
  installedVersion,
  makeOutput,
  matMulSlices,
  missingInternals,
  PINNED_VERSION,
  wasmInternals,
} from "../../../kernel-lib/src/internals/tfjs-backend-wasm";

beforeAll(async () => {
  await tf.setBackend("wasm");
  await tf.ready();
});

const pinned = `kernel-lib's wasm kernels were written against @tensorflow/tfjs-backend-wasm ${PINNED_VERSION}`;

describe(`tfjs-backend-wasm internals (pinned ${PINNED_VERSION})`, () => {
  it("the installed version is the pinned one", () => {
    expect(installedVersion(), `${pinned}: review internals/tfjs-backend-wasm.ts before upgrading, then update PINNED_VERSION`).toBe(PINNED_VERSION);
  });

  it("the backend has every internal the kernels use", () => {
    expect(missingInternals(tf.backend()), `${pinned}; these are gone`).toEqual([]);
    expect(() => wasmInternals({})).toThrow(new RegExp(`written against version ${PINNED_VERSION.replace(/\./g, "\\.")}`));
  });

  it("a tensor's offset and view point at its data in the backend's memory", () => {
    const b = wasmInternals(tf.backend());
    const t = tf.tensor1d([1.5, -2, 3.25]);
    const off = heapOffset(b, t);
    expect(Array.from(new Float32Array(heapMemory(b).buffer, off, 3))).toEqual([1.5, -2, 3.25]);
    expect(Array.from(heapView(b, t))).toEqual([1.5, -2, 3.25]);
    const out = makeOutput(b, [2]);
    heapView(b, out).set([7, 8]);
    expect(Array.from(tf.engine().makeTensorFromTensorInfo(out).dataSync())).toEqual([7, 8]);
    t.dispose();
  });

  it("matMulSlices multiplies matrices stored back to back with the C BatchMatMul", () => {
    const b = wasmInternals(tf.backend());
    const a = tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]);
    const c = tf.tensor3d([1, 0, 0, 1, 2, 1, 1, 2], [2, 2, 2]);
    const out = makeOutput(b, [2, 2, 2]);
    matMulSlices(b, 2, 2, 2, 2, heapOffset(b, a), heapOffset(b, c), heapOffset(b, out));
    expect(Array.from(tf.engine().makeTensorFromTensorInfo(out).dataSync())).toEqual([1, 2, 3, 4, 5 * 2 + 6, 5 + 6 * 2, 7 * 2 + 8, 7 + 8 * 2]);
  });
});
