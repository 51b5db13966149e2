import * as tf from "@tensorflow/tfjs";
import { EXTRA_GRADIENTS } from "./gradients";
import { WASM_KERNELS, KERNEL_FIXES } from "./kernels";

const FIXED = Symbol.for("llm-lessons.kernel-fix");

/**
 * Registers the kernels from `kernels/` and the gradients from `gradients/` that the installed
 * tfjs lacks, and wraps the kernels listed in KERNEL_FIXES (once their backend has registered
 * them). Safe to call many times; returns what it registered this time.
 */
export function registerMissingKernels(): string[] {
  const added: string[] = [];
  for (const k of WASM_KERNELS) {
    if (tf.getKernel(k.kernelName, k.backendName) == null) {
      tf.registerKernel(k);
      added.push(`${k.kernelName}@${k.backendName}`);
    }
  }
  for (const fix of KERNEL_FIXES) {
    const native = tf.getKernel(fix.kernelName, fix.backendName);
    // The fixes already applied to this kernel, by name (several may wrap one another).
    const applied = (native as unknown as Record<symbol, string[] | undefined> | undefined)?.[FIXED] ?? [];
    if (native == null || applied.includes(fix.wrap.name)) continue;
    const wrapped = Object.assign(fix.wrap(native), { [FIXED]: [...applied, fix.wrap.name] });
    tf.unregisterKernel(fix.kernelName, fix.backendName);
    tf.registerKernel(wrapped);
    added.push(`${fix.kernelName}@${fix.backendName} (fixed)`);
  }
  for (const g of EXTRA_GRADIENTS) {
    if (tf.getGradient(g.kernelName) == null) {
      tf.registerGradient(g);
      added.push(`${g.kernelName} gradient`);
    }
  }
  return added;
}
