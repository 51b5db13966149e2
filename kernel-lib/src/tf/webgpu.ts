import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { firstLine, isMissing } from "./load-errors";

/**
 * WebGPU in Node: the npm package `webgpu` (Dawn's Node binding) gives a `navigator.gpu`, and
 * `@tensorflow/tfjs-backend-webgpu` runs tfjs on it. Dawn reaches the GPU through Vulkan (Linux,
 * NVIDIA/AMD/Intel), Metal (Apple) or Direct3D 12 (Windows). A software adapter (Mesa's llvmpipe,
 * SwiftShader) computes correctly but slower than the wasm backend, so it is used only when forced.
 */
export const WEBGPU_PKG = "webgpu";
export const WEBGPU_TF_PKG = "@tensorflow/tfjs-backend-webgpu";
export const WEBGPU_INSTALL_HINT =
  `for NVIDIA, AMD, Intel or Apple GPUs install the optional packages ${WEBGPU_PKG} and ${WEBGPU_TF_PKG} ` +
  "(`npm install` without --omit=optional); see README, section Backends";

/** What the adapter says about itself, and whether it is a software rasteriser. */
export interface AdapterSummary {
  vendor: string;
  architecture: string;
  description: string;
  software: boolean;
}

/** The slice of a WebGPU adapter the resolver reads (a real GPUAdapter has all of it). */
export interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
  features?: { has(name: string): boolean };
  limits?: Record<string, number>;
  requestDevice?: (descriptor?: unknown) => Promise<unknown>;
}

interface WebgpuModule {
  create: (flags: string[]) => { requestAdapter(options?: unknown): Promise<AdapterLike | null> };
  globals?: Record<string, unknown>;
}

/** The Node versions that can `require` an ES module such as `webgpu` without a flag. */
export const ESM_REQUIRE_NODE = "Node ≥ 20.19 or ≥ 22.12";

/**
 * Device files a hardware GPU shows on Linux: Mesa's drivers (AMD, Intel, Arm, Apple silicon)
 * open /dev/dri/renderD*, NVIDIA's /dev/nvidia*, WSL2's /dev/dxg. Software Vulkan (llvmpipe) needs
 * none. With none of them there is no hardware adapter to find, so auto mode skips the probe: no
 * Dawn start-up (≈ 0.1 s on llvmpipe here) and none of the warnings Dawn prints for a software adapter.
 * Elsewhere (macOS, Windows) every machine has a GPU driver, so the probe always runs: returns null.
 */
export function gpuDeviceFiles(files: { readdirSync(dir: string): string[] } = fs, platform: string = process.platform): string[] | null {
  if (platform !== "linux") return null;
  const list = (dir: string) => {
    try {
      return files.readdirSync(dir);
    } catch {
      return [];
    }
  };
  return [
    ...list("/dev/dri")
      .filter((f) => f.startsWith("renderD"))
      .map((f) => `/dev/dri/${f}`),
    ...list("/dev")
      .filter((f) => /^nvidia\d+$|^dxg$/.test(f))
      .map((f) => `/dev/${f}`),
  ];
}

const SOFTWARE = /llvmpipe|lavapipe|swiftshader|software|softpipe|warp|basic render/i;

/** Reads vendor, architecture and description; software when the adapter is a fallback or names a software rasteriser. */
export function summariseAdapter(adapter: AdapterLike): AdapterSummary {
  const info = adapter.info ?? {};
  const vendor = info.vendor || "unknown vendor";
  const architecture = info.architecture || "unknown architecture";
  const description = info.description || info.device || "no description";
  const software =
    info.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    SOFTWARE.test(`${info.architecture ?? ""} ${info.device ?? ""} ${info.description ?? ""}`);
  return { vendor, architecture, description, software };
}

/** "mesa, software, llvmpipe: Mesa 25.0.7 (LLVM 15.0.6) — a software adapter" for the banner. */
export function adapterLabel(a: AdapterSummary): string {
  return `adapter ${a.vendor}, ${a.architecture}, ${a.description}${a.software ? " — a software adapter" : ""}`;
}

export type WebgpuProbe =
  | { ok: true; adapter: AdapterLike; summary: AdapterSummary; mod: WebgpuModule; gpu: unknown }
  | { ok: false; why: string; missing: boolean };

/**
 * Synchronous reads (`dataSync`, `arraySync`, which the lessons use) on WebGPU in Node. In a
 * browser tfjs reads through an OffscreenCanvas, which Node lacks; Dawn's Node binding completes a
 * `mapAsync` when its native event-processing callback runs, which it schedules with the global
 * `setImmediate`. We remember that (native) callback, scheduled while a Dawn call of ours runs, and
 * run it in a loop until the buffer is mapped. Every call of `setImmediate` still goes through.
 */
let dawnTick: { fn: (...a: unknown[]) => void; args: unknown[] } | null = null;
let recorderInstalled = false;
let recording = false;

/** Runs `f`, remembering a native callback it schedules with setImmediate. */
function recordingTick<T>(f: () => T): T {
  recording = true;
  try {
    return f();
  } finally {
    recording = false;
  }
}

function installTickRecorder(): void {
  if (recorderInstalled) return;
  recorderInstalled = true;
  const g = globalThis as unknown as { setImmediate: (fn: (...a: unknown[]) => void, ...args: unknown[]) => unknown };
  const original = g.setImmediate;
  const wrapped = function (this: unknown, fn: (...a: unknown[]) => void, ...args: unknown[]) {
    if (recording && typeof fn === "function" && Function.prototype.toString.call(fn).includes("[native code]")) dawnTick = { fn, args };
    return original.call(this, fn, ...args);
  };
  // Keep util.promisify(setImmediate) and friends working.
  Object.assign(wrapped, original);
  g.setImmediate = Object.defineProperties(wrapped, Object.getOwnPropertyDescriptors(original)) as typeof original;
}

/** Runs Dawn's event processing until `done()` (a buffer mapped), at most `limitMs`. */
function pumpUntil(done: () => boolean, limitMs = 120_000): void {
  const start = Date.now();
  while (!done()) {
    if (dawnTick == null) throw new Error("synchronous GPU reads are not available here: use `await tensor.data()`");
    dawnTick.fn(...dawnTick.args);
    if (Date.now() - start > limitMs) throw new Error(`a GPU read did not finish in ${limitMs / 1000} s`);
  }
}

type GpuBuffer = { size: number; mapState: string; mapAsync(mode: number): Promise<void>; getMappedRange(): ArrayBuffer; unmap(): void };
interface WebGPUBackendInternals {
  tensorMap: { get(id: unknown): { values: unknown; dtype: string; resource: GpuBuffer } };
  bufferManager: { acquireBuffer(size: number, usage: number): GpuBuffer; releaseBuffer(b: GpuBuffer): void };
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  commandEncoder: { copyBufferToBuffer(a: GpuBuffer, ao: number, b: GpuBuffer, bo: number, n: number): void };
  convertAndCacheOnCPU(id: unknown, v: unknown): unknown;
}

const PATCHED = Symbol.for("llm-lessons.webgpu-readsync");

/** Replaces the backend's readSync (canvas based) by a staging-buffer copy mapped synchronously. */
function patchReadSync(Backend: { prototype: Record<string | symbol, unknown> }): void {
  const proto = Backend.prototype;
  if (proto[PATCHED]) return;
  const original = proto.readSync as (this: unknown, id: unknown) => unknown;
  const G = globalThis as unknown as { GPUBufferUsage: { COPY_DST: number; MAP_READ: number }; GPUMapMode: { READ: number } };
  proto.readSync = function (this: WebGPUBackendInternals, dataId: unknown) {
    const td = this.tensorMap.get(dataId);
    if (td.values != null || td.dtype === "string" || td.dtype === "complex64") return original.call(this, dataId);
    const buffer = td.resource;
    const staging = this.bufferManager.acquireBuffer(buffer.size, G.GPUBufferUsage.COPY_DST | G.GPUBufferUsage.MAP_READ);
    this.ensureCommandEncoderReady();
    this.endComputePassEncoder();
    this.commandEncoder.copyBufferToBuffer(buffer, 0, staging, 0, buffer.size);
    this.submitQueue();
    recordingTick(() => staging.mapAsync(G.GPUMapMode.READ)).catch(() => undefined);
    pumpUntil(() => staging.mapState !== "pending");
    if (staging.mapState !== "mapped") throw new Error("a GPU read failed (the staging buffer did not map)");
    const data = staging.getMappedRange().slice(0);
    staging.unmap();
    this.bufferManager.releaseBuffer(staging);
    const values = tf.util.convertBackendValuesAndArrayBuffer(data, td.dtype as tf.DataType);
    this.convertAndCacheOnCPU(dataId, values);
    return values;
  };
  proto[PATCHED] = true;
}

const instances: unknown[] = [];

/**
 * Loads `webgpu` and asks for a high-performance adapter. Starts nothing in tfjs. With
 * `adapter: false` it only loads the package and answers that no GPU device was found (see
 * `gpuDeviceFiles`).
 */
export async function probeWebgpu(load: (name: string) => unknown, options: { adapter?: boolean } = {}): Promise<WebgpuProbe> {
  let mod: WebgpuModule;
  try {
    mod = load(WEBGPU_PKG) as WebgpuModule;
  } catch (e) {
    if (isMissing(e, WEBGPU_PKG)) return { ok: false, why: `${WEBGPU_PKG} is not installed`, missing: true };
    if ((e as { code?: string })?.code === "ERR_REQUIRE_ESM") {
      return { ok: false, why: `${WEBGPU_PKG} is an ES module, which Node ${process.version} cannot require (${ESM_REQUIRE_NODE} can)`, missing: false };
    }
    return { ok: false, why: `${WEBGPU_PKG} failed to load: ${firstLine(e)}`, missing: false };
  }
  if (options.adapter === false) {
    return { ok: false, why: "no GPU device on this machine (/dev/dri/renderD*, /dev/nvidia*, /dev/dxg), so no adapter was asked for", missing: false };
  }
  let adapter: AdapterLike | null = null;
  installTickRecorder();
  let gpu: ReturnType<WebgpuModule["create"]>;
  try {
    gpu = mod.create([]);
    // Dawn's instance must outlive its adapters and devices (else the process crashes at exit).
    instances.push(gpu);
    adapter = await recordingTick(() => gpu.requestAdapter({ powerPreference: "high-performance" }));
  } catch (e) {
    return { ok: false, why: `WebGPU could not ask for an adapter: ${firstLine(e)}`, missing: false };
  }
  if (adapter == null) {
    return {
      ok: false,
      why: "WebGPU finds no adapter (no GPU driver with Vulkan, Metal or Direct3D 12 support)",
      missing: false,
    };
  }
  return { ok: true, adapter, summary: summariseAdapter(adapter), mod, gpu };
}

/** Puts `navigator.gpu` and the WebGPU constants (GPUBufferUsage, …) where tfjs-backend-webgpu looks. */
function installGlobals(mod: WebgpuModule, gpu: unknown): void {
  const g = globalThis as Record<string, unknown>;
  for (const [k, v] of Object.entries(mod.globals ?? {})) if (g[k] === undefined) g[k] = v;
  const nav = g.navigator as Record<string, unknown> | undefined;
  if (nav == null) g.navigator = { gpu };
  else if (nav.gpu == null) Object.defineProperty(nav, "gpu", { value: gpu, configurable: true });
}

/**
 * Registers (once) and starts the tfjs "webgpu" backend on the probed adapter. Throws with the
 * first line of what went wrong.
 */
export async function startWebgpu(probe: Extract<WebgpuProbe, { ok: true }>, load: (name: string) => unknown): Promise<void> {
  const { adapter, mod } = probe;
  if (tf.findBackend("webgpu") == null) {
    installGlobals(mod, probe.gpu);
    let tfMod: { WebGPUBackend?: new (device: unknown, info: unknown) => tf.KernelBackend };
    try {
      tfMod = load(WEBGPU_TF_PKG) as typeof tfMod;
    } catch (e) {
      if (isMissing(e, WEBGPU_TF_PKG)) throw new Error(`${WEBGPU_TF_PKG} is not installed`);
      throw new Error(`${WEBGPU_TF_PKG} failed to load: ${firstLine(e)}`);
    }
    const Backend = tfMod.WebGPUBackend;
    if (Backend == null) throw new Error(`${WEBGPU_TF_PKG} does not export WebGPUBackend`);
    patchReadSync(Backend as unknown as { prototype: Record<string | symbol, unknown> });
    if (tf.getKernel("BatchMatMul", "webgpu") == null) {
      throw new Error(`${WEBGPU_TF_PKG} registered its kernels with another copy of @tensorflow/tfjs (this one is ${tf.version_core})`);
    }
    // Our own factory, on the adapter we judged (the package's would ask for one again).
    if (tf.findBackendFactory("webgpu") != null) tf.removeBackend("webgpu");
    tf.registerBackend(
      "webgpu",
      async () => {
        const limits = adapter.limits ?? {};
        const pick = (k: string) => (limits[k] != null ? { [k]: limits[k] } : {});
        const device = await recordingTick(() =>
          adapter.requestDevice!({
            requiredFeatures: adapter.features?.has("timestamp-query") ? ["timestamp-query"] : [],
            requiredLimits: {
              ...pick("maxComputeWorkgroupStorageSize"),
              ...pick("maxComputeWorkgroupsPerDimension"),
              ...pick("maxStorageBufferBindingSize"),
              ...pick("maxBufferSize"),
              ...pick("maxComputeWorkgroupSizeX"),
              ...pick("maxComputeInvocationsPerWorkgroup"),
            },
          }),
        );
        return new Backend(device, adapter.info);
      },
      1,
    );
  }
  const ok = await tf.setBackend("webgpu");
  if (!ok) throw new Error("the webgpu backend failed to start");
}
