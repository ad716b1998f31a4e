import { ASSEMBLE_GRAD_KERNEL, ASSEMBLE_KERNEL, type AssemblyPlan } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";

type AssembleFn = (...coeffs: tf.Tensor[]) => tf.Tensor1D;

/** One differentiable function per plan (the plan is built once per assembly). */
const assembleFns = new WeakMap<AssemblyPlan, AssembleFn>();

/** W^T (flat, [plan.size]) = placed Σ c B through the backend's fused kernels. */
export function fusedAssemble(plan: AssemblyPlan, coeffs: readonly tf.Tensor[]): tf.Tensor1D {
  let f = assembleFns.get(plan);
  if (!f) {
    // The plan is not a tfjs attribute type; kernels read it as given.
    const attrs = { plan } as unknown as tf.NamedAttrMap;
    const n = plan.pairs.length;
    f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const cs = args.slice(0, n) as tf.Tensor[];
      const named = Object.fromEntries(cs.map((c, k) => [`c${k}`, c]));
      return {
        value: tf.engine().runKernel(ASSEMBLE_KERNEL, named, attrs) as tf.Tensor1D,
        gradFunc: (dw: tf.Tensor) =>
          tf.engine().runKernel(ASSEMBLE_GRAD_KERNEL, { dw }, attrs) as tf.Tensor[],
      };
    }) as unknown as AssembleFn;
    assembleFns.set(plan, f);
  }
  return f(...coeffs);
}
