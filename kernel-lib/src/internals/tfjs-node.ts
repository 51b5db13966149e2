/**
 * kernel-lib's reaches beyond the documented API of @tensorflow/tfjs-node(-gpu) and of tfjs's
 * cpu backend, in one place:
 *
 * - Node's `util`: tfjs-node 4.22.0 (the last release) calls `util.isNullOrUndefined` and
 *   friends, which Node 23 removed; they are put back before it loads.
 * - tfjs-node's backend object: `isUsingGpuDevice` (a field, not API) says whether the
 *   tfjs-node-gpu build found a CUDA device.
 * - tfjs-core's cpu backend: `firstUse`, the flag behind its "install tfjs-node" advert.
 *
 * Shapes of the pinned versions (TFJS_PINNED); test/unit/internals/tfjs-node.test.ts checks the
 * cpu backend's field on the installed tfjs.
 */

/** The tfjs version whose internals this module was written against. */
export const TFJS_PINNED = "4.22.0";

/**
 * tfjs-node 4.22.0 (the last release) still calls `util.isNullOrUndefined` and friends, which
 * Node 23 removed; every op then throws "isNullOrUndefined is not a function". Put back the
 * missing ones (plain one-liners) before loading it. Existing functions are left alone.
 */
export function restoreLegacyUtil(): string[] {
  const util = require("util") as Record<string, unknown>;
  const legacy: Record<string, (v: unknown) => boolean> = {
    isNullOrUndefined: (v) => v === null || v === undefined,
    isNull: (v) => v === null,
    isUndefined: (v) => v === undefined,
    isArray: (v) => Array.isArray(v),
    isBoolean: (v) => typeof v === "boolean",
    isNumber: (v) => typeof v === "number",
    isString: (v) => typeof v === "string",
    isFunction: (v) => typeof v === "function",
    isObject: (v) => v !== null && typeof v === "object",
    isPrimitive: (v) => v === null || (typeof v !== "object" && typeof v !== "function"),
  };
  const added: string[] = [];
  for (const [name, fn] of Object.entries(legacy)) {
    if (typeof util[name] !== "function") {
      util[name] = fn;
      added.push(name);
    }
  }
  return added;
}

/** Whether a tfjs-node(-gpu) backend runs on a CUDA device (its private `isUsingGpuDevice`). */
export function usesGpuDevice(backend: unknown): boolean {
  return (backend as { isUsingGpuDevice?: unknown } | null)?.isUsingGpuDevice === true;
}

/**
 * Silence the cpu backend's one-time advert ("Hi, looks like you are running TensorFlow.js in
 * Node.js…"): the backend banner already says which backend runs. Returns whether the flag was
 * there to set.
 */
export function silenceCpuAdvert(cpuBackend: unknown): boolean {
  const cpu = cpuBackend as { firstUse?: boolean } | null;
  if (cpu == null || typeof cpu.firstUse !== "boolean") return false;
  cpu.firstUse = false;
  return true;
}
