/**
 * The WebGPU backend: how the resolver judges an adapter (with stand-ins, everywhere), and where a
 * real adapter exists (a GPU, or Mesa's software Vulkan "llvmpipe") the same op table as wasm
 * against cpu, flat memory over 100 training steps, and a loss that falls. With
 * LLM_LESSONS_EXPECT_WEBGPU=1 (CI installs the software Vulkan) a missing adapter fails instead of skipping.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as tf from "@tensorflow/tfjs";
import { initTf, resetTfState } from "../../../kernel-lib/src/tf/backend";
import { adapterLabel, gpuDeviceFiles, probeWebgpu, summariseAdapter, type AdapterLike } from "../../../kernel-lib/src/tf/webgpu";
import { loadCheckpoint, saveCheckpoint } from "../../../kernel-lib/src/gpt/checkpoint";
import { prepareCharData } from "../../../kernel-lib/src/gpt/data";
import { createGpt } from "../../../kernel-lib/src/gpt/model";
import { Trainer } from "../../../kernel-lib/src/gpt/train";
import { tinyText } from "../gpt/backend";
import { CASES, compute, expectClose } from "./op-table";
import { train } from "./tiny-model";

const WASM = "@tensorflow/tfjs-backend-wasm";
const realLoad = (name: string) => require(name);
const real = await probeWebgpu(realLoad);
const HAS_ADAPTER = real.ok;
const EXPECTED = process.env.LLM_LESSONS_EXPECT_WEBGPU === "1";

function notFound(name: string): Error {
  return Object.assign(new Error(`Cannot find module '${name}'`), { code: "MODULE_NOT_FOUND" });
}

/** A stand-in `webgpu` package whose only adapter says `info` (or there is none). */
function fakeWebgpu(info: AdapterLike["info"] | null): () => unknown {
  return () => ({ create: () => ({ requestAdapter: async () => (info == null ? null : { info }) }), globals: {} });
}

function loader(available: Record<string, () => unknown>): (name: string) => unknown {
  return (name) => {
    const f = available[name];
    if (f == null) throw notFound(name);
    return f();
  };
}

/** Resolves with the packages in `available`; by default the machine shows a GPU device file, so auto mode probes. */
async function resolveWith(available: Record<string, () => unknown>, env: Record<string, string> = {}, devices: string[] | null = ["/dev/dri/renderD128"]) {
  resetTfState();
  const lines: string[] = [];
  const info = await initTf({ env, log: (l) => lines.push(l), load: loader({ [WASM]: () => require(WASM), ...available }), gpuDevices: () => devices });
  return { info, lines };
}

const REAL_WEBGPU = { webgpu: () => require("webgpu"), "@tensorflow/tfjs-backend-webgpu": () => require("@tensorflow/tfjs-backend-webgpu") };
const LLVMPIPE = { vendor: "mesa", architecture: "software", device: "llvmpipe", description: "llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)", isFallbackAdapter: true };
const NVIDIA = { vendor: "nvidia", architecture: "ampere", device: "", description: "NVIDIA GeForce RTX 3060" };

afterAll(async () => {
  resetTfState();
  await tf.setBackend("cpu");
});

describe("judging a WebGPU adapter", () => {
  it("calls llvmpipe, SwiftShader and fallback adapters software, and a named GPU hardware", () => {
    expect(summariseAdapter({ info: LLVMPIPE }).software).toBe(true);
    expect(summariseAdapter({ info: { vendor: "google", architecture: "", description: "SwiftShader Device (Subzero)" } }).software).toBe(true);
    expect(summariseAdapter({ info: { vendor: "x", description: "y" }, isFallbackAdapter: true }).software).toBe(true);
    const gpu = summariseAdapter({ info: NVIDIA });
    expect(gpu).toEqual({ vendor: "nvidia", architecture: "ampere", description: "NVIDIA GeForce RTX 3060", software: false });
    expect(adapterLabel(gpu)).toBe("adapter nvidia, ampere, NVIDIA GeForce RTX 3060");
  });

  it("auto never picks a software adapter, and the banner names it and how to force it", async () => {
    const { info, lines } = await resolveWith({ webgpu: fakeWebgpu(LLVMPIPE) });
    expect(info.backend).toBe("wasm");
    expect(lines[0]).toContain("WebGPU skipped: only a software adapter mesa, software, llvmpipe: Mesa 25.0.7 (LLVM 15.0.6)");
    expect(lines[0]).toContain("LLM_LESSONS_BACKEND=webgpu");
  });

  it("auto with no adapter says so and keeps wasm", async () => {
    const { info, lines } = await resolveWith({ webgpu: fakeWebgpu(null) });
    expect(info.backend).toBe("wasm");
    expect(lines[0]).toContain("no GPU path: WebGPU finds no adapter");
  });

  it("auto on a Linux machine with no GPU device file asks Dawn for no adapter (no start-up cost, no Dawn warnings)", async () => {
    const dawn = () => ({
      create: () => {
        throw new Error("Dawn must not start");
      },
    });
    const { info, lines } = await resolveWith({ webgpu: dawn }, {}, []);
    expect(info.backend).toBe("wasm");
    expect(lines[0]).toContain("no GPU path: no GPU device on this machine (/dev/dri/renderD*, /dev/nvidia*, /dev/dxg)");
    // Without the package the banner still says how to add it.
    const missing = await resolveWith({}, {}, []);
    expect(missing.lines[0]).toContain("webgpu is not installed, so no GPU path: for NVIDIA, AMD, Intel or Apple GPUs install");
  });

  it("finds GPU device files on Linux only, and leaves other systems to the probe", () => {
    const dev = (tree: Record<string, string[]>) => ({
      readdirSync: (d: string) => {
        if (tree[d] == null) throw Object.assign(new Error(`ENOENT: ${d}`), { code: "ENOENT" });
        return tree[d];
      },
    });
    expect(gpuDeviceFiles(dev({ "/dev": ["null", "tty"] }), "linux")).toEqual([]);
    expect(gpuDeviceFiles(dev({ "/dev": ["dri", "null"], "/dev/dri": ["card0", "renderD128"] }), "linux")).toEqual(["/dev/dri/renderD128"]);
    expect(gpuDeviceFiles(dev({ "/dev": ["nvidia0", "nvidiactl", "nvidia-uvm"] }), "linux")).toEqual(["/dev/nvidia0"]);
    expect(gpuDeviceFiles(dev({ "/dev": ["dxg"] }), "linux")).toEqual(["/dev/dxg"]);
    expect(gpuDeviceFiles(dev({}), "darwin")).toBeNull();
    expect(gpuDeviceFiles(dev({}), "win32")).toBeNull();
  });

  it("on a Node that cannot require ES modules (before 20.19 / 22.12) keeps the CPU backend and says why", async () => {
    const esmOnly = () => {
      throw Object.assign(new Error("require() of ES Module /x/node_modules/webgpu/index.js from /x/backend.js not supported.\nInstead change …"), {
        code: "ERR_REQUIRE_ESM",
      });
    };
    const { info, lines } = await resolveWith({ webgpu: esmOnly });
    expect(info.backend).toBe("wasm");
    expect(lines[0]).toContain(`no GPU path: webgpu is an ES module, which Node ${process.version} cannot require (Node ≥ 20.19 or ≥ 22.12 can)`);
    resetTfState();
    const err = await initTf({ env: { LLM_LESSONS_BACKEND: "webgpu" }, quiet: true, load: loader({ webgpu: esmOnly }) }).catch((e: Error) => e);
    expect(String(err)).toContain("but webgpu is an ES module, which Node");
  });

  it("a forced webgpu without the package says what to install", async () => {
    resetTfState();
    const err = await initTf({ env: { LLM_LESSONS_BACKEND: "webgpu" }, quiet: true, load: loader({}) }).catch((e: Error) => e);
    expect(String(err)).toContain('backend "webgpu" was requested (forced by LLM_LESSONS_BACKEND=webgpu) but webgpu is not installed');
    expect(String(err)).toContain("@tensorflow/tfjs-backend-webgpu");
  });
});

describe("a WebGPU adapter on this machine", () => {
  it.runIf(EXPECTED)("exists (LLM_LESSONS_EXPECT_WEBGPU=1)", () => {
    expect(real.ok ? "adapter found" : real.why).toBe("adapter found");
  });
  it.skipIf(HAS_ADAPTER || EXPECTED)("is absent, so the webgpu tests below skip", () => {
    expect(real.ok).toBe(false);
  });
});

describe.skipIf(!HAS_ADAPTER)("the webgpu backend on this machine's adapter", () => {
  it("starts when forced, names the adapter, and reads back synchronously", async () => {
    const { info, lines } = await resolveWith(REAL_WEBGPU, { LLM_LESSONS_BACKEND: "webgpu" });
    expect(info.backend).toBe("webgpu");
    expect(tf.getBackend()).toBe("webgpu");
    expect(info.adapter).toMatch(/^adapter /);
    expect(lines[0]).toMatch(/^tfjs backend: webgpu \(WebGPU\) — forced by LLM_LESSONS_BACKEND=webgpu, adapter /);
    const m = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2, 3]]), tf.tensor2d([[4], [5], [6]])));
    expect(Array.from(m.dataSync())).toEqual([32]);
    expect(m.arraySync()).toEqual([[32]]);
    m.dispose();
  });

  it("is picked by auto on a hardware adapter (this adapter, presented as a GPU)", async () => {
    const asGpu = () => {
      const mod = require("webgpu") as { create: (f: string[]) => { requestAdapter(o?: unknown): Promise<AdapterLike | null> }; globals: unknown };
      return {
        globals: mod.globals,
        create: (flags: string[]) => ({
          requestAdapter: async (o?: unknown) => {
            const a = (await mod.create(flags).requestAdapter(o))!;
            return { info: NVIDIA, features: a.features, limits: a.limits, requestDevice: (d: unknown) => a.requestDevice!(d) };
          },
        }),
      };
    };
    const { info, lines } = await resolveWith({ webgpu: asGpu, "@tensorflow/tfjs-backend-webgpu": () => require("@tensorflow/tfjs-backend-webgpu") });
    expect(info).toMatchObject({ backend: "webgpu", gpu: true, reason: "WebGPU on a hardware adapter nvidia, ampere, NVIDIA GeForce RTX 3060" });
    expect(lines[0]).toBe("tfjs backend: webgpu (WebGPU) — WebGPU on a hardware adapter nvidia, ampere, NVIDIA GeForce RTX 3060");
  });

  describe("matches cpu, forward and gradient (the wasm op table)", () => {
    CASES.forEach((c, index) => {
      it(c.name, async () => {
        const before = tf.memory().numTensors;
        const want = await compute("cpu", c, index);
        const got = await compute("webgpu", c, index);
        expectClose(got.forward, want.forward, c.tol ?? 1e-4, "forward");
        expectClose(got.grads, want.grads, c.tol ?? 1e-4, "gradient");
        expect(tf.memory().numTensors).toBe(before);
      });
    });
  });

  it("keeps numTensors and GPU bytes flat over 100 training steps, and the loss falls", async () => {
    await tf.setBackend("webgpu");
    const before = tf.memory().numTensors;
    const gpuBytes: number[] = [];
    const { losses, tensors } = await train("webgpu", 100, 1, () => {
      gpuBytes.push((tf.memory() as { numBytesInGPU?: number }).numBytesInGPU ?? -1);
    });
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[0]).toBeGreaterThan(2.5); // about ln 24 = 3.18 at the start
    expect(losses.slice(-5).reduce((a, b) => a + b, 0) / 5).toBeLessThan(0.3 * losses[0]);
    // Adam creates its moment slots on step 1; from then on nothing may grow.
    expect(new Set(tensors.slice(1)).size).toBe(1);
    expect(gpuBytes[0]).toBeGreaterThan(0);
    expect(new Set(gpuBytes.slice(1)).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("gives the same losses as cpu for a seed", async () => {
    const gpu = await train("webgpu", 8, 5);
    const cpu = await train("cpu", 8, 5);
    gpu.losses.forEach((l, i) => expect(l).toBeCloseTo(cpu.losses[i], 3));
  });

  it("trains the GPT with the Trainer, saves a checkpoint and resumes with the uninterrupted run's losses", async () => {
    if (tf.findBackend("webgpu") == null) await resolveWith(REAL_WEBGPU, { LLM_LESSONS_BACKEND: "webgpu" });
    await tf.setBackend("webgpu");
    const data = prepareCharData(tinyText());
    const cfg = { vocabSize: data.tokenizer.vocabSize, blockSize: 16, nLayer: 1, nHead: 2, nEmbd: 16, dropout: 0.1 };
    const tcfg = { maxIters: 12, batchSize: 4, learningRate: 3e-3, evalInterval: 6, evalIters: 2, seed: 9 };
    const full = new Trainer(createGpt(cfg, { seed: 1 }), data, tcfg);
    // The live chart of trainWithProgress is fed by these two callbacks.
    const fed = { steps: 0, evals: 0 };
    const ref = await full.run({ onStep: () => fed.steps++, onEval: () => fed.evals++ });
    expect(fed.steps).toBe(12);
    expect(fed.evals).toBe(ref.evals.length);
    expect(fed.evals).toBeGreaterThanOrEqual(2);
    expect(ref.losses.length).toBe(12);
    expect(ref.losses.every(Number.isFinite)).toBe(true);
    const first = new Trainer(createGpt(cfg, { seed: 1 }), data, tcfg);
    await first.run({ until: 5 });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "webgpu-ckpt-")), "run.ckpt");
    saveCheckpoint(first, file, { tokenizer: data.tokenizer });
    const { trainer } = loadCheckpoint(file, data, { vocabSize: data.tokenizer.vocabSize });
    expect(tf.getBackend()).toBe("webgpu");
    expect(trainer.step).toBe(5);
    const resumed = await trainer.run();
    const worst = Math.max(...ref.losses.map((l, i) => Math.abs(l - (resumed.losses[i] ?? Number.NaN))));
    expect(worst).toBeLessThanOrEqual(1e-5);
    expect(resumed.evals).toEqual(ref.evals);
    [full, first, trainer].forEach((t) => {
      t.dispose();
      t.model.dispose();
    });
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
