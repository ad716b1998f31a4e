import {
  BILINEAR_GRAD_KERNEL,
  BILINEAR_KERNEL,
  type BiLinearPlan,
  type BiLinearPlanPair,
} from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
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
  const backend = tf.getBackend();
  return (
    backend !== undefined &&
    tf.getKernel(BILINEAR_KERNEL, backend) !== undefined &&
    tf.getKernel(BILINEAR_GRAD_KERNEL, backend) !== undefined
  );
}

/** y = BiLinear(x) through the backend's fused kernels, differentiable in x and every θ. */
export function fusedBilinear(
  plan: BiLinearPlan,
  x: tf.Tensor2D,
  thetas: readonly tf.Tensor[],
): tf.Tensor2D {
  // The plan is not a tfjs attribute type; kernels read it as given.
  const attrs = { plan } as unknown as tf.NamedAttrMap;
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const xs = args[0] as tf.Tensor2D;
    const ths = args.slice(1, 1 + thetas.length) as tf.Tensor[];
    const save = args[1 + thetas.length] as tf.GradSaveFunc;
    save([xs, ...ths]);
    const named: Record<string, tf.Tensor> = { x: xs };
    ths.forEach((t, k) => {
      named[`theta${k}`] = t;
    });
    return {
      value: tf.engine().runKernel(BILINEAR_KERNEL, named, attrs) as tf.Tensor2D,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const g: Record<string, tf.Tensor> = { dy, x: saved[0]! };
        saved.slice(1).forEach((t, k) => {
          g[`theta${k}`] = t;
        });
        return tf.engine().runKernel(BILINEAR_GRAD_KERNEL, g, attrs) as tf.Tensor[];
      },
    };
  });
  return (f as (...t: tf.Tensor[]) => tf.Tensor2D)(x, ...thetas);
}
