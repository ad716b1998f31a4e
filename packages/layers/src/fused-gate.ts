import { GATE_GRAD_KERNEL, GATE_KERNEL, type GatePlan } from "@isotropy/core";
import type * as tf from "@tensorflow/tfjs-core";
import { activeBackendHas, type FusedKernelPair, featureMajorPair, runFused } from "./fused-op.js";

const GATE: FusedKernelPair = {
  kernel: GATE_KERNEL,
  gradKernel: GATE_GRAD_KERNEL,
  input: () => "x",
  upstream: "dy",
  gradReadsInputs: true,
};

/** Whether the active backend runs the whole gated nonlinearity as one kernel. */
export function fusedGateAvailable(): boolean {
  return activeBackendHas(GATE_KERNEL, GATE_GRAD_KERNEL);
}

const GATE_FEATURE_MAJOR = featureMajorPair(GATE);

/**
 * y[:, i] = x[:, i] · sigmoid(x[:, plan.gate[i]]) through the backend's fused kernels; with
 * `featureMajor`, rows instead of columns (x and y [features, batch]).
 */
export function fusedGate(plan: GatePlan, x: tf.Tensor2D, featureMajor = false): tf.Tensor2D {
  return runFused(plan, featureMajor ? GATE_FEATURE_MAJOR : GATE, [x]) as tf.Tensor2D;
}
