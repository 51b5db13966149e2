/**
 * The one "which backend" question of the ops in this folder: does the current backend have a
 * kernel for this op? kernel-lib's kernels (tf/kernels/) are registered once, the first time it is
 * asked, so that the ops work before `initTf` too (initTf registers again after it has loaded a
 * backend). Arrows run one way: ops → dispatch → register → kernels → names.
 */
import * as tf from "@tensorflow/tfjs";
import { registerMissingKernels } from "../register";

let registered = false;

/** Whether the current backend has a kernel called `kernelName`. */
export function hasKernel(kernelName: string): boolean {
  if (!registered) {
    registered = true;
    registerMissingKernels();
  }
  return tf.getKernel(kernelName, tf.getBackend()) != null;
}

/**
 * Whether other tensors hold `t`'s data too (a clone, a reshape, a variable assigned from it): a
 * kernel that writes into `t` in place would change them as well.
 */
export function sharesData(t: tf.Tensor): boolean {
  return tf.engine().backend.refCount(t.dataId) > 1;
}
