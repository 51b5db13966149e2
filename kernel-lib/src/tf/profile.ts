/**
 * Where a training step's time goes, kernel by kernel (like torch.profiler's table).
 *
 * `recordKernelCalls` wraps every kernel registered for the current backend so that each call
 * records its name, the milliseconds its kernel function ran (time spent in kernels it calls
 * through the registry goes to those) and the gap since the previous kernel returned: the time
 * the step spent outside kernels before this call — the op's JavaScript, tfjs's dispatch and
 * gradient tape, tidy scopes. The original kernels are registered again afterwards.
 * `aggregateKernelCalls` turns the calls into one row per kernel; `formatKernelProfile` prints it.
 */
import * as tf from "@tensorflow/tfjs";

/** One kernel call: its name, its own time and the time outside kernels just before it. */
export interface KernelCall {
  kernel: string;
  /** Milliseconds in this kernel's function, less the kernels it called through the registry. */
  ms: number;
  /** Milliseconds since the previous kernel (at the same or an outer level) returned, or since the step began. */
  gapMs: number;
}

/** One kernel's share of the profiled steps. */
export interface KernelProfileRow {
  kernel: string;
  /** Calls per step. */
  calls: number;
  /** Milliseconds per step in the kernel. */
  ms: number;
  /** Share of a step's wall time, in percent. */
  share: number;
  /** Milliseconds per step outside kernels just before this kernel's calls (dispatch, tape, the op's JavaScript). */
  dispatchMs: number;
}

/** The profile of `steps` steps: rows sorted by time, and the step's totals (per step). */
export interface KernelProfile {
  steps: number;
  /** Wall milliseconds per step. */
  stepMs: number;
  /** Milliseconds per step inside kernels. */
  kernelMs: number;
  /** Milliseconds per step outside kernels: stepMs − kernelMs. */
  outsideMs: number;
  /** Kernel calls per step. */
  calls: number;
  rows: KernelProfileRow[];
}

/**
 * One row per kernel name from the calls of `steps` steps that took `wallMs` in all, sorted by
 * time (then name). Figures are per step; shares are of the wall time.
 */
export function aggregateKernelCalls(calls: readonly KernelCall[], steps: number, wallMs: number): KernelProfile {
  if (!(steps >= 1)) throw new RangeError(`aggregateKernelCalls: steps must be ≥ 1, got ${steps}`);
  const byName = new Map<string, { calls: number; ms: number; gap: number }>();
  let kernelMs = 0;
  for (const c of calls) {
    const row = byName.get(c.kernel) ?? { calls: 0, ms: 0, gap: 0 };
    row.calls++;
    row.ms += c.ms;
    row.gap += c.gapMs;
    byName.set(c.kernel, row);
    kernelMs += c.ms;
  }
  const rows = [...byName.entries()]
    .map(([kernel, r]) => ({
      kernel,
      calls: r.calls / steps,
      ms: r.ms / steps,
      share: wallMs > 0 ? (100 * r.ms) / wallMs : 0,
      dispatchMs: r.gap / steps,
    }))
    .sort((a, b) => b.ms - a.ms || a.kernel.localeCompare(b.kernel));
  return { steps, stepMs: wallMs / steps, kernelMs: kernelMs / steps, outsideMs: (wallMs - kernelMs) / steps, calls: calls.length / steps, rows };
}

/**
 * Runs `step` `steps` times with every kernel of the current backend timed, and returns the
 * calls and the wall time. Kernels are synchronous on the CPU backends (cpu, wasm), so a kernel
 * function's duration is its compute; on GPU backends it is only the time to enqueue the work.
 */
export function recordKernelCalls(step: () => void, steps: number): { calls: KernelCall[]; wallMs: number } {
  const backendName = tf.getBackend();
  const originals = tf.getKernelsForBackend(backendName);
  const calls: KernelCall[] = [];
  // Per open kernel: time in kernels it called, to subtract from its own.
  const inner: number[] = [];
  let lastEnd = 0;
  const wrap = (k: tf.KernelConfig): tf.KernelConfig => {
    const wrapped = ((args: Parameters<tf.KernelFunc>[0]) => {
      const start = performance.now();
      const gapMs = start - lastEnd;
      inner.push(0);
      try {
        return k.kernelFunc(args);
      } finally {
        const end = performance.now();
        const nested = inner.pop()!;
        if (inner.length > 0) inner[inner.length - 1] += end - start;
        calls.push({ kernel: k.kernelName, ms: end - start - nested, gapMs: inner.length > 0 ? 0 : gapMs });
        lastEnd = end;
      }
    }) as tf.KernelFunc;
    // Keep every other property (setup and dispose functions, kernel-lib's marks of applied fixes).
    return Object.assign({}, k, { kernelFunc: wrapped });
  };
  const swap = (configs: tf.KernelConfig[]): void => {
    for (const k of configs) {
      tf.unregisterKernel(k.kernelName, k.backendName);
      tf.registerKernel(k);
    }
  };
  swap(originals.map(wrap));
  let wallMs = 0;
  try {
    for (let s = 0; s < steps; s++) {
      const t0 = performance.now();
      lastEnd = t0;
      step();
      wallMs += performance.now() - t0;
    }
  } finally {
    swap(originals);
  }
  return { calls, wallMs };
}

/** `recordKernelCalls` then `aggregateKernelCalls`: the per-kernel profile of `steps` calls of `step`. */
export function profileKernels(step: () => void, steps: number): KernelProfile {
  const { calls, wallMs } = recordKernelCalls(step, steps);
  return aggregateKernelCalls(calls, steps, wallMs);
}

/** The profile as a plain-text table (one row per kernel, then the totals), per step. */
export function formatKernelProfile(p: KernelProfile, maxRows = Number.POSITIVE_INFINITY): string {
  const shown = p.rows.slice(0, maxRows);
  const width = Math.max(24, ...shown.map((r) => r.kernel.length));
  const num = (v: number, digits: number, w: number) => v.toFixed(digits).padStart(w);
  const lines = [
    `${"kernel".padEnd(width)}  calls/step  ms/step  share  dispatch ms/step`,
    `${"-".repeat(width)}  ----------  -------  -----  ----------------`,
  ];
  for (const r of shown) {
    lines.push(`${r.kernel.padEnd(width)}  ${num(r.calls, 0, 10)}  ${num(r.ms, 2, 7)}  ${num(r.share, 1, 4)}%  ${num(r.dispatchMs, 2, 16)}`);
  }
  if (shown.length < p.rows.length) {
    const rest = p.rows.slice(shown.length);
    const sum = (f: (r: KernelProfileRow) => number) => rest.reduce((a, r) => a + f(r), 0);
    const label = `(${rest.length} more kernels)`;
    lines.push(
      `${label.padEnd(width)}  ${num(
        sum((r) => r.calls),
        0,
        10,
      )}  ${num(
        sum((r) => r.ms),
        2,
        7,
      )}  ${num(
        sum((r) => r.share),
        1,
        4,
      )}%  ${num(
        sum((r) => r.dispatchMs),
        2,
        16,
      )}`,
    );
  }
  const share = (ms: number) => (p.stepMs > 0 ? (100 * ms) / p.stepMs : 0);
  lines.push(
    `${"-".repeat(width)}  ----------  -------  -----`,
    `${"in kernels".padEnd(width)}  ${num(p.calls, 0, 10)}  ${num(p.kernelMs, 2, 7)}  ${num(share(p.kernelMs), 1, 4)}%`,
    `${"outside kernels".padEnd(width)}  ${"".padStart(10)}  ${num(p.outsideMs, 2, 7)}  ${num(share(p.outsideMs), 1, 4)}%`,
    `${"step (wall)".padEnd(width)}  ${"".padStart(10)}  ${num(p.stepMs, 2, 7)}  100.0%`,
  );
  return lines.join("\n");
}
