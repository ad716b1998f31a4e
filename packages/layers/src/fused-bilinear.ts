import {
  BILINEAR_GRAD_KERNEL,
  BILINEAR_KERNEL,
  type BiLinearPlan,
  type BiLinearPlanPair,
} from "@isotropy/core";
import type * as tf from "@tensorflow/tfjs-core";
import type { BiLinearPair } from "./bilinear.js";
import { activeBackendHas, type FusedKernelPair, featureMajorPair, runFused } from "./fused-op.js";

/** The fused-kernel plan of a bilinear layer's pairs (see `BILINEAR_KERNEL` in core). */
export function bilinearPlan(
  pairs: readonly BiLinearPair[],
  inputSize: number,
  outputSize: number,
): BiLinearPlan {
  return {
    inputSize,
    outputSize,
    pairs: pairs.map((p): BiLinearPlanPair => {
      const so = p.outCopies[0]!.length;
      const si = p.inCopies[0]!.length;
      const cO = p.outCopies.length;
      const cI = p.inCopies.length;
      const n = p.pool.length;
      const z = new Int32Array(so * si * n);
      for (let a = 0; a < so; a++)
        for (let b = 0; b < si; b++)
          for (let m = 0; m < n; m++) z[(a * si + b) * n + m] = p.pool[m]![a * si + b]!;
      const x = new Int32Array(si * cI);
      for (let b = 0; b < si; b++) for (let c = 0; c < cI; c++) x[b * cI + c] = p.inCopies[c]![b]!;
      const out = new Int32Array(so * cO);
      for (let a = 0; a < so; a++)
        for (let o = 0; o < cO; o++) out[a * cO + o] = p.outCopies[o]![a]!;
      return { so, si, cO, cI, n, order: p.order, gain: p.gain, z, x, out };
    }),
  };
}

/** Whether the active backend runs the whole bilinear layer as one kernel. */
export function fusedBilinearAvailable(): boolean {
  return activeBackendHas(BILINEAR_KERNEL, BILINEAR_GRAD_KERNEL);
}

const BILINEAR: FusedKernelPair = {
  kernel: BILINEAR_KERNEL,
  gradKernel: BILINEAR_GRAD_KERNEL,
  input: (k) => (k === 0 ? "x" : `theta${k - 1}`),
  upstream: "dy",
  gradReadsInputs: true,
};

const BILINEAR_FEATURE_MAJOR = featureMajorPair(BILINEAR);

/**
 * y = BiLinear(x) through the backend's fused kernels, differentiable in x and every θ; with
 * `featureMajor`, x and y are [features, batch].
 */
export function fusedBilinear(
  plan: BiLinearPlan,
  x: tf.Tensor2D,
  thetas: readonly tf.Tensor[],
  featureMajor = false,
): tf.Tensor2D {
  const pair = featureMajor ? BILINEAR_FEATURE_MAJOR : BILINEAR;
  return runFused(plan, pair, [x, ...thetas]) as tf.Tensor2D;
}
