// The public surface of kernel-lib/src/tf: the backend resolver, the kernels the wasm backend
// lacks for training, and seeded weight initialisers.
export {
  initTf,
  tfInfo,
  BACKEND_ENV,
  BACKEND_CHOICES,
  type BackendChoice,
  type InitTfOptions,
  type TfInfo,
} from "./backend";
export { registerMissingKernels } from "./register";
export { BLAS_ENV, blasStatus, loadBlas, type BlasStatus } from "./blas";
export { WASM_THREADS_ENV, wasmThreadCount } from "./wasm-threads";
export { summariseAdapter, adapterLabel, type AdapterSummary } from "./webgpu";
export { WASM_KERNELS, KERNEL_FIXES, type KernelFix } from "./kernels";
export { EXTRA_GRADIENTS } from "./gradients";
export { seededNormal, seededUniform, seededVariable, seededGlorotUniform } from "./random";
export {
  aggregateKernelCalls,
  recordKernelCalls,
  profileKernels,
  formatKernelProfile,
  type KernelCall,
  type KernelProfile,
  type KernelProfileRow,
} from "./profile";
