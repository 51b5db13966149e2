import { spawnSync } from "node:child_process";
import * as os from "node:os";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { initTf, resetTfState, tfInfo } from "../../../kernel-lib/src/tf/backend";
import { restoreLegacyUtil } from "../../../kernel-lib/src/internals/tfjs-node";
import { blasStatus } from "../../../kernel-lib/src/tf/blas";

const WASM = "@tensorflow/tfjs-backend-wasm";
const NODE = "@tensorflow/tfjs-node";
const GPU = "@tensorflow/tfjs-node-gpu";

function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}'\nRequire stack:\n- x.js`), { code: "MODULE_NOT_FOUND" });
}

/**
 * A stand-in for tfjs-node(-gpu): registers a "tensorflow" backend the way the real package does
 * (here the cpu backend's class and kernels under that name).
 */
function fakeTensorflow(gpu: boolean): () => unknown {
  return () => {
    for (const k of tf.getKernelsForBackend("cpu")) {
      if (tf.getKernel(k.kernelName, "tensorflow") == null) tf.registerKernel({ ...k, backendName: "tensorflow" });
    }
    tf.registerBackend("tensorflow", () => Object.assign(new MathBackendCPU(), { isUsingGpuDevice: gpu }), 3);
    return {};
  };
}

/** A loader that knows only the packages in `available`; everything else is "not installed". */
function loader(available: Record<string, () => unknown>): (name: string) => unknown {
  return (name) => {
    const f = available[name];
    if (f == null) throw notFound(name);
    return f();
  };
}

const realWasm = () => require(WASM);

function run(opts: Parameters<typeof initTf>[0] & { available?: Record<string, () => unknown> }) {
  const lines: string[] = [];
  const p = initTf({ env: {}, log: (l) => lines.push(l), load: loader(opts.available ?? { [WASM]: realWasm }), ...opts });
  return { p, lines };
}

// Test files share a worker's modules (vitest.config.ts): restore the flag for the files after this one.
let wasTest = false;
beforeAll(() => {
  wasTest = tf.env().getBool("IS_TEST");
  tf.env().set("IS_TEST", true);
  resetTfState(); // another test file in the same worker may have chosen a backend already
});
afterAll(() => {
  tf.env().set("IS_TEST", wasTest);
});

afterEach(async () => {
  resetTfState();
  if (tf.findBackendFactory("tensorflow") != null) {
    await tf.setBackend("cpu");
    tf.removeBackend("tensorflow");
  }
});

describe("initTf backend choice", () => {
  it("falls back to wasm with the reason tfjs-node is missing, and prints one banner", async () => {
    const { p, lines } = run({});
    const info = await p;
    expect(info).toEqual({
      backend: "wasm",
      gpu: false,
      reason: expect.stringContaining(`${NODE} is not installed: it downloads libtensorflow`),
      detail: expect.stringMatching(/^SIMD, /),
      nativeBlas: blasStatus()!.available,
    });
    expect(tf.getBackend()).toBe("wasm");
    expect(lines).toHaveLength(1);
    // One wasm thread beside native BLAS, else one per core (at most 4).
    const threads = blasStatus()!.available ? 1 : Math.min(4, os.cpus().length);
    const label = `${threads} thread${threads === 1 ? "" : "s"}`;
    expect(lines[0]).toBe(
      `tfjs backend: wasm (SIMD, ${label}; ${blasStatus()!.detail}) — @tensorflow/tfjs-node is not installed: it downloads libtensorflow at install time; see README; webgpu is not installed, so no GPU path: for NVIDIA, AMD, Intel or Apple GPUs install the optional packages webgpu and @tensorflow/tfjs-backend-webgpu (\`npm install\` without --omit=optional); see README, section Backends`,
    );
  });

  it("is idempotent: the second call returns the same info and prints nothing", async () => {
    const a = run({});
    const first = await a.p;
    const b = run({});
    expect(await b.p).toBe(first);
    expect(b.lines).toEqual([]);
    expect(tfInfo()).toBe(first);
  });

  it("chooses tensorflow when tfjs-node registers it, without a GPU", async () => {
    const { p, lines } = run({ available: { [NODE]: fakeTensorflow(false), [WASM]: realWasm } });
    const info = await p;
    expect(info.backend).toBe("tensorflow");
    expect(info.gpu).toBe(false);
    expect(info.reason).toContain(NODE);
    expect(tf.getBackend()).toBe("tensorflow");
    expect(lines[0]).toMatch(/^tfjs backend: tensorflow \(CPU\) — /);
  });

  it("prefers tfjs-node-gpu and reports the GPU", async () => {
    const { p, lines } = run({
      available: {
        [GPU]: fakeTensorflow(true),
        [NODE]: () => {
          throw new Error("must not load");
        },
      },
    });
    const info = await p;
    expect(info).toEqual({ backend: "tensorflow", gpu: true, reason: expect.stringContaining("CUDA GPU"), detail: "GPU, CUDA" });
    expect(lines[0]).toMatch(/^tfjs backend: tensorflow \(GPU, CUDA\)/);
  });

  it("says so when tfjs-node-gpu loads but sees no GPU", async () => {
    const info = await run({ available: { [GPU]: fakeTensorflow(false) } }).p;
    expect(info.backend).toBe("tensorflow");
    expect(info.gpu).toBe(false);
    expect(info.reason).toContain("sees no GPU");
  });

  it("reports a tfjs-node-gpu that is installed but broken, and goes on to tfjs-node", async () => {
    const broken = () => {
      throw new Error("libcudart.so.11.0: cannot open shared object file");
    };
    const info = await run({ available: { [GPU]: broken, [NODE]: fakeTensorflow(false) } }).p;
    expect(info.backend).toBe("tensorflow");
    resetTfState();
    await tf.setBackend("cpu");
    tf.removeBackend("tensorflow");
    const info2 = await run({ available: { [GPU]: broken, [WASM]: realWasm } }).p;
    expect(info2.backend).toBe("wasm");
    expect(info2.reason).toContain(`${GPU} is installed but failed to load: libcudart.so.11.0`);
  });

  it("explains a tfjs-node whose install script was skipped (no native addon)", async () => {
    const noAddon = () => {
      throw notFound("/p/node_modules/@tensorflow/tfjs-node/lib/napi-v8/tfjs_binding.node");
    };
    const info = await run({ available: { [NODE]: noAddon, [WASM]: realWasm } }).p;
    expect(info.backend).toBe("wasm");
    expect(info.reason).toContain("its native addon is missing: its install script did not run");
    expect(info.reason).toContain("npm rebuild @tensorflow/tfjs-node");
  });

  it("falls back when tfjs-node starts but cannot run ops", async () => {
    const noKernels = () => {
      tf.registerBackend("tensorflow", () => new MathBackendCPU(), 3);
      return {};
    };
    tf.getKernelsForBackend("tensorflow").forEach((k) => tf.unregisterKernel(k.kernelName, "tensorflow"));
    const info = await run({ available: { [NODE]: noKernels, [WASM]: realWasm } }).p;
    expect(info.backend).toBe("wasm");
    expect(info.reason).toMatch(/@tensorflow\/tfjs-node loaded but cannot run ops: Kernel '.*' not registered for backend 'tensorflow'/);
  });

  it("puts back the util.is* functions Node 23 removed (tfjs-node 4.22 still calls them)", () => {
    const util = require("util") as Record<string, unknown>;
    const saved = util.isNullOrUndefined;
    delete util.isNullOrUndefined;
    try {
      expect(restoreLegacyUtil()).toContain("isNullOrUndefined");
      const f = util.isNullOrUndefined as (v: unknown) => boolean;
      expect([f(null), f(undefined), f(0), f("")]).toEqual([true, true, false, false]);
      expect(restoreLegacyUtil()).toEqual([]);
    } finally {
      if (saved !== undefined) util.isNullOrUndefined = saved;
    }
  });

  it("detects a tfjs-node that registered with another copy of tfjs", async () => {
    const info = await run({ available: { [NODE]: () => ({}), [WASM]: realWasm } }).p;
    expect(info.backend).toBe("wasm");
    expect(info.reason).toContain("another copy of @tensorflow/tfjs");
  });

  it("falls back to cpu when wasm cannot load, naming both reasons", async () => {
    const info = await run({ available: {} }).p;
    expect(info.backend).toBe("cpu");
    expect(info.reason).toContain(`${NODE} is not installed`);
    expect(info.reason).toContain(`${WASM} is not installed`);
  });
});

describe("forcing a backend", () => {
  it("LLM_LESSONS_BACKEND=cpu wins over auto and over the option", async () => {
    const info = await run({ env: { LLM_LESSONS_BACKEND: "cpu" }, backend: "wasm" }).p;
    expect(info).toEqual({ backend: "cpu", gpu: false, reason: "forced by LLM_LESSONS_BACKEND=cpu", detail: "plain JavaScript" });
    expect(tf.getBackend()).toBe("cpu");
  });

  it("an invalid LLM_LESSONS_BACKEND names the valid values", async () => {
    await expect(run({ env: { LLM_LESSONS_BACKEND: "gpu" } }).p).rejects.toThrow(
      'LLM_LESSONS_BACKEND must be one of auto, tensorflow, webgpu, wasm, cpu; got "gpu"',
    );
  });

  it("a forced tensorflow that cannot load says why and how to install it", async () => {
    const err = await run({ env: { LLM_LESSONS_BACKEND: "tensorflow" } }).p.catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const msg = (err as Error).message;
    expect(msg).toContain(`${GPU} is not installed`);
    expect(msg).toContain(`${NODE} is not installed`);
    expect(msg).toContain("npm install @tensorflow/tfjs-node");
  });

  it("the option forces a backend and a later call may switch", async () => {
    const a = await run({ backend: "cpu" }).p;
    expect(a.backend).toBe("cpu");
    const b = await run({ backend: "wasm" }).p;
    expect(b.backend).toBe("wasm");
    expect(b.reason).toBe('forced by option backend: "wasm"');
    const c = await run({}).p;
    expect(c).toBe(b);
  });

  it("the real loader here picks wasm unless a working tfjs-node or a hardware WebGPU adapter is there", async () => {
    let nodeInstalled = true;
    try {
      require.resolve(NODE);
    } catch {
      nodeInstalled = false;
    }
    // Installed is not working: tfjs-node may be there without its native library (install script
    // skipped or failed). Whether it works is asked of a separate process that runs one op with it.
    const probe = `require("util").isNullOrUndefined ??= (v) => v == null; const tf = require(${JSON.stringify(NODE)}); process.stdout.write(String(tf.add(tf.tensor([1]), 1).dataSync()[0]));`;
    const nodeWorks = nodeInstalled && spawnSync(process.execPath, ["-e", probe], { encoding: "utf8", timeout: 60_000 }).stdout === "2";
    const info = await initTf({ env: {}, quiet: true });
    // A hardware WebGPU adapter comes before tfjs-node; a software one (llvmpipe) is never picked.
    if (info.backend === "webgpu") expect(info.gpu).toBe(true);
    else expect(info.backend).toBe(nodeWorks ? "tensorflow" : "wasm");
    // When it falls back from an installed tfjs-node, it says why.
    if (nodeInstalled && !nodeWorks && info.backend === "wasm") expect(info.reason).toMatch(/tfjs-node/);
  });
});
