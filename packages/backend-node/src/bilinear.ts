import {
  BILINEAR_GRAD_KERNEL,
  BILINEAR_KERNEL,
  type BiLinearPlan,
  type BiLinearPlanPair,
} from "@isotropy/core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import {
  activationShape,
  checkShape,
  fail,
  featureMajorAttr,
  float32Input,
  layerInputs,
  planAttr,
} from "./kernel-inputs.js";
import { kernelOptions } from "./kernels.js";
import { output } from "./native-util.js";

// core's fused bilinear kernels (BILINEAR_KERNEL, BILINEAR_GRAD_KERNEL) on native/bilinear.cc.
// The plan is checked and packed into the addon's own copy once per plan object (layers pass the
// same object on every call), so a call costs one N-API crossing plus the arithmetic.

const natives = new WeakMap<BiLinearPlan, unknown>();

const isSize = (v: unknown, min: number) => Number.isInteger(v) && (v as number) >= min;

function checkPair(kernel: string, p: BiLinearPlanPair, k: number, plan: BiLinearPlan) {
  const { so, si, cO, cI, n } = p;
  if (![so, si, cO, cI, n].every((v) => isSize(v, 1)))
    fail(kernel, `plan pair ${k}: so, si, cO, cI, n must be positive integers`);
  if (p.order !== "zx" && p.order !== "wx")
    fail(kernel, `plan pair ${k}: order must be "zx" or "wx", got ${String(p.order)}`);
  if (!Number.isFinite(p.gain)) fail(kernel, `plan pair ${k}: gain must be finite`);
  const maps: [string, Int32Array, number, number][] = [
    ["z", p.z, so * si * n, plan.inputSize],
    ["x", p.x, si * cI, plan.inputSize],
    ["out", p.out, so * cO, plan.outputSize],
  ];
  for (const [name, map, length, bound] of maps) {
    if (!(map instanceof Int32Array) || map.length !== length)
      fail(kernel, `plan pair ${k}: ${name} must be an Int32Array of length ${length}`);
    for (const i of map) {
      if (i < 0 || i >= bound)
        fail(kernel, `plan pair ${k}: ${name} holds column ${i} >= ${bound}`);
    }
  }
}

/** The addon's copy of `plan` (checked here, so that errors name the offending field). */
export function nativePlan(addon: NativeAddon, plan: BiLinearPlan, kernel: string): unknown {
  const hit = natives.get(plan);
  if (hit !== undefined) return hit;
  if (!plan || !isSize(plan.inputSize, 1) || !isSize(plan.outputSize, 1) || !plan.pairs)
    fail(kernel, "attrs.plan must be a BiLinearPlan {inputSize, outputSize, pairs}");
  if (plan.residual && plan.inputSize !== plan.outputSize)
    fail(
      kernel,
      `a residual plan needs inputSize = outputSize, got ${plan.inputSize} and ${plan.outputSize}`,
    );
  const { pairs } = plan;
  const meta = new Int32Array(2 + 6 * pairs.length);
  meta[0] = plan.inputSize;
  meta[1] = plan.outputSize;
  let total = 0;
  pairs.forEach((p, k) => {
    checkPair(kernel, p, k, plan);
    meta.set([p.so, p.si, p.cO, p.cI, p.n, p.order === "zx" ? 1 : 0], 2 + 6 * k);
    total += p.z.length + p.x.length + p.out.length;
  });
  const idx = new Int32Array(total);
  let at = 0;
  for (const p of pairs) {
    for (const map of [p.z, p.x, p.out]) {
      idx.set(map, at);
      at += map.length;
    }
  }
  const gains = Float32Array.from(pairs, (p) => p.gain);
  const native = addon.bilinearPlan(meta, idx, gains, plan.residual === true);
  natives.set(plan, native);
  return native;
}

/** x, its batch size and the thetas' values, checked against the plan. */
function readInputs(
  backend: MathBackendCPU,
  inputs: NamedTensorInfoMap,
  plan: BiLinearPlan,
  kernel: string,
  featureMajor: boolean,
) {
  const shapes = plan.pairs.map((p) => [p.cO, p.cI, p.n]);
  const { weights, ...rest } = layerInputs(
    backend,
    inputs,
    kernel,
    plan.inputSize,
    "theta",
    shapes,
    featureMajor,
  );
  return { ...rest, thetas: weights };
}

/**
 * BILINEAR_KERNEL (inputs {x, theta0..}, attrs {plan, featureMajor?}; y [batch, outputSize]) and
 * BILINEAR_GRAD_KERNEL (inputs {dy, x, theta0..}; [dx, dtheta0, ...]) on the addon. Inputs that
 * do not match the plan throw, naming the kernel and the input.
 */
export function bilinearKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: BILINEAR_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planAttr<BiLinearPlan>(attrs, BILINEAR_KERNEL, "BiLinearPlan");
        const native = nativePlan(addon, plan, BILINEAR_KERNEL);
        const fm = featureMajorAttr(attrs, BILINEAR_KERNEL);
        const { bs, xv, thetas } = readInputs(b, inputs, plan, BILINEAR_KERNEL, fm);
        const y = output(bs * plan.outputSize);
        addon.bilinear(
          native,
          xv,
          bs,
          thetas,
          y,
          kernelOptions.bundled,
          kernelOptions.bilinearPlanOrder,
          fm,
        );
        return b.makeTensorInfo(activationShape(fm, bs, plan.outputSize), "float32", y);
      },
    },
    {
      kernelName: BILINEAR_GRAD_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planAttr<BiLinearPlan>(attrs, BILINEAR_GRAD_KERNEL, "BiLinearPlan");
        const native = nativePlan(addon, plan, BILINEAR_GRAD_KERNEL);
        const fm = featureMajorAttr(attrs, BILINEAR_GRAD_KERNEL);
        const { x, bs, xv, thetas } = readInputs(b, inputs, plan, BILINEAR_GRAD_KERNEL, fm);
        checkShape(BILINEAR_GRAD_KERNEL, "dy", inputs.dy, activationShape(fm, bs, plan.outputSize));
        const dyv = float32Input(b, inputs.dy as TensorInfo, BILINEAR_GRAD_KERNEL, "dy");
        const dx = output(xv.length);
        const dthetas = thetas.map((t) => output(t.length));
        addon.bilinearGrad(
          native,
          dyv,
          xv,
          bs,
          thetas,
          dx,
          dthetas,
          kernelOptions.bundled,
          kernelOptions.bilinearPlanOrder,
          fm,
        );
        return [
          b.makeTensorInfo([...x.shape], "float32", dx),
          ...dthetas.map((d, k) => {
            const p = plan.pairs[k] as BiLinearPlanPair;
            return b.makeTensorInfo([p.cO, p.cI, p.n], "float32", d);
          }),
        ];
      },
    },
  ];
}
