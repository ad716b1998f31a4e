import { GATE_GRAD_KERNEL, GATE_KERNEL, type GatePlan } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { activeBackendHas } from "./active-backend.js";

/** Whether the active backend runs the whole gated nonlinearity as one kernel. */
export function fusedGateAvailable(): boolean {
  return activeBackendHas(GATE_KERNEL, GATE_GRAD_KERNEL);
}

type GateFn = (x: tf.Tensor2D) => tf.Tensor2D;

/** One differentiable function per plan (the plan is built once per layer). */
const gateFns = new WeakMap<GatePlan, GateFn>();

/** y[:, i] = x[:, i] · sigmoid(x[:, plan.gate[i]]) through the backend's fused kernels. */
export function fusedGate(plan: GatePlan, x: tf.Tensor2D): tf.Tensor2D {
  let f = gateFns.get(plan);
  if (!f) {
    // The plan is not a tfjs attribute type; kernels read it as given.
    const attrs = { plan } as unknown as tf.NamedAttrMap;
    f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const input = args[0] as tf.Tensor;
      (args[1] as tf.GradSaveFunc)([input]);
      return {
        value: tf.engine().runKernel(GATE_KERNEL, { x: input }, attrs) as tf.Tensor2D,
        gradFunc: (dy: tf.Tensor, [saved]: tf.Tensor[]) =>
          tf.engine().runKernel(GATE_GRAD_KERNEL, { dy, x: saved! }, attrs) as tf.Tensor,
      };
    }) as unknown as GateFn;
    gateFns.set(plan, f);
  }
  return f(x);
}
