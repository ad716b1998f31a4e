import { LINEAR_GRAD_KERNEL, LINEAR_KERNEL, type LinearPlan } from "@isotropy/core";
import type * as tf from "@tensorflow/tfjs-core";
import { activeBackendHas, type FusedKernelPair, featureMajorPair, runFused } from "./fused-op.js";

const LINEAR: FusedKernelPair = {
  kernel: LINEAR_KERNEL,
  gradKernel: LINEAR_GRAD_KERNEL,
  input: (k) => (k === 0 ? "x" : `c${k - 1}`),
  upstream: "dy",
  gradReadsInputs: true,
};

/** Whether the active backend applies equivariant linear maps from their coefficients. */
export function fusedLinearAvailable(): boolean {
  return activeBackendHas(LINEAR_KERNEL, LINEAR_GRAD_KERNEL);
}

/** The same kernels with a bias, the last input (its gradient is the kernels' last output). */
const LINEAR_WITH_BIAS: FusedKernelPair = {
  ...LINEAR,
  input: (k, count) => (k === count - 1 ? "bias" : LINEAR.input(k, count)),
};

const FEATURE_MAJOR = {
  plain: featureMajorPair(LINEAR),
  withBias: featureMajorPair(LINEAR_WITH_BIAS),
};

/**
 * y = x W^T (+ bias) for the W of `plan` and `coeffs`, without forming W (the backend's fused
 * kernels); the bias is added inside them. With `featureMajor`, x and y are [features, batch]
 * (y = W x + bias).
 */
export function fusedLinear(
  plan: LinearPlan,
  x: tf.Tensor2D,
  coeffs: readonly tf.Tensor[],
  bias?: tf.Tensor1D,
  featureMajor = false,
): tf.Tensor2D {
  const plain = featureMajor ? FEATURE_MAJOR.plain : LINEAR;
  const withBias = featureMajor ? FEATURE_MAJOR.withBias : LINEAR_WITH_BIAS;
  return (
    bias ? runFused(plan, withBias, [x, ...coeffs, bias]) : runFused(plan, plain, [x, ...coeffs])
  ) as tf.Tensor2D;
}
