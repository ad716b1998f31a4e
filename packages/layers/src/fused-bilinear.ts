import {
  BILINEAR_GRAD_KERNEL,
  BILINEAR_KERNEL,
  type BiLinearPlan,
  type BiLinearPlanPair,
} from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { activeBackendHas } from "./active-backend.js";
import type { BiLinearPair } from "./bilinear.js";

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

/** The kernels' named inputs: `base` plus theta0..theta(P-1). */
function withThetas(base: Record<string, tf.Tensor>, thetas: readonly tf.Tensor[]) {
  const named = { ...base };
  thetas.forEach((t, k) => {
    named[`theta${k}`] = t;
  });
  return named;
}

type FusedFn = (x: tf.Tensor2D, ...thetas: tf.Tensor[]) => tf.Tensor2D;

/** One differentiable function per plan (the plan is built once per layer). */
const fusedFns = new WeakMap<BiLinearPlan, FusedFn>();

function fusedFn(plan: BiLinearPlan): FusedFn {
  const cached = fusedFns.get(plan);
  if (cached) return cached;
  // The plan is not a tfjs attribute type; kernels read it as given.
  const attrs = { plan } as unknown as tf.NamedAttrMap;
  const nThetas = plan.pairs.length;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const inputs = args.slice(0, 1 + nThetas) as tf.Tensor[];
    const save = args[1 + nThetas] as tf.GradSaveFunc;
    save(inputs);
    const [x, ...thetas] = inputs;
    return {
      value: tf
        .engine()
        .runKernel(BILINEAR_KERNEL, withThetas({ x: x! }, thetas), attrs) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, ...sthetas] = saved;
        const named = withThetas({ dy, x: sx! }, sthetas);
        return tf.engine().runKernel(BILINEAR_GRAD_KERNEL, named, attrs) as tf.Tensor[];
      },
    };
  }) as unknown as FusedFn;
  fusedFns.set(plan, f);
  return f;
}

/** y = BiLinear(x) through the backend's fused kernels, differentiable in x and every θ. */
export function fusedBilinear(
  plan: BiLinearPlan,
  x: tf.Tensor2D,
  thetas: readonly tf.Tensor[],
): tf.Tensor2D {
  return fusedFn(plan)(x, ...thetas);
}
