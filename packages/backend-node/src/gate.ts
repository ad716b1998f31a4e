import { GATE_GRAD_KERNEL, GATE_KERNEL, type GatePlan } from "@isotropy/core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import {
  activationShape,
  batchOf,
  checkShape,
  fail,
  featureMajorAttr,
  float32Input,
  planAttr,
} from "./kernel-inputs.js";
import { output } from "./native-util.js";

// core's fused gated nonlinearity (GATE_KERNEL, GATE_GRAD_KERNEL) on native/gate.cc. A plan is
// checked once per plan object (layers pass the same one on every call); the addon checks
// lengths and index ranges again on every call, so a bad array never reaches memory.

const checked = new WeakSet<GatePlan>();

function planOf(attrs: unknown, kernel: string): GatePlan {
  const plan = planAttr<GatePlan>(attrs, kernel, "GatePlan");
  if (checked.has(plan)) return plan;
  const { inputSize, gate } = plan;
  if (!Number.isInteger(inputSize) || inputSize < 1)
    fail(kernel, "plan.inputSize must be a positive integer");
  if (!(gate instanceof Int32Array) || gate.length < 1 || gate.length > inputSize)
    fail(kernel, `plan.gate must be an Int32Array of 1 to ${inputSize} columns`);
  for (const c of gate) {
    if (c < 0 || c >= inputSize) fail(kernel, `plan.gate holds column ${c} >= ${inputSize}`);
  }
  checked.add(plan);
  return plan;
}

/**
 * GATE_KERNEL (inputs {x}, attrs {plan, featureMajor?}; y) and GATE_GRAD_KERNEL (inputs {dy, x};
 * dx) on the addon.
 */
export function gateKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  const readX = (
    b: MathBackendCPU,
    x: TensorInfo | undefined,
    plan: GatePlan,
    kernel: string,
    fm: boolean,
  ) => {
    const xv = float32Input(b, x, kernel, "x");
    return { xv, bs: batchOf(x, plan.inputSize, fm, kernel).bs };
  };
  return [
    {
      kernelName: GATE_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planOf(attrs, GATE_KERNEL);
        const fm = featureMajorAttr(attrs, GATE_KERNEL);
        const { xv, bs } = readX(b, inputs.x, plan, GATE_KERNEL, fm);
        const y = output(bs * plan.gate.length);
        if (bs > 0) addon.gate(xv, bs, plan.gate, y, fm);
        return b.makeTensorInfo(activationShape(fm, bs, plan.gate.length), "float32", y);
      },
    },
    {
      kernelName: GATE_GRAD_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planOf(attrs, GATE_GRAD_KERNEL);
        const fm = featureMajorAttr(attrs, GATE_GRAD_KERNEL);
        const { xv, bs } = readX(b, inputs.x, plan, GATE_GRAD_KERNEL, fm);
        const dyv = float32Input(b, inputs.dy, GATE_GRAD_KERNEL, "dy");
        checkShape(
          GATE_GRAD_KERNEL,
          "dy",
          inputs.dy as TensorInfo,
          activationShape(fm, bs, plan.gate.length),
        );
        const dx = output(xv.length);
        if (bs > 0) addon.gateGrad(dyv, xv, bs, plan.gate, dx, fm);
        return b.makeTensorInfo(activationShape(fm, bs, plan.inputSize), "float32", dx);
      },
    },
  ];
}
