import { ASSEMBLE_GRAD_KERNEL, ASSEMBLE_KERNEL, type AssemblyPlan } from "@isotropy/core";
import type * as tf from "@tensorflow/tfjs-core";
import { activeBackendHas, type FusedKernelPair, runFused } from "./fused-op.js";

const ASSEMBLE: FusedKernelPair = {
  kernel: ASSEMBLE_KERNEL,
  gradKernel: ASSEMBLE_GRAD_KERNEL,
  input: (k) => `c${k}`,
  upstream: "dw",
  gradReadsInputs: false, // W is linear in the coefficients
};

/** Whether the active backend assembles equivariant weights as one kernel. */
export function fusedAssembleAvailable(): boolean {
  return activeBackendHas(ASSEMBLE_KERNEL, ASSEMBLE_GRAD_KERNEL);
}

/** W^T (flat, [plan.size]) = placed Σ c B through the backend's fused kernels. */
export function fusedAssemble(plan: AssemblyPlan, coeffs: readonly tf.Tensor[]): tf.Tensor1D {
  return runFused(plan, ASSEMBLE, coeffs) as tf.Tensor1D;
}
