import {
  LINEAR_GRAD_KERNEL,
  LINEAR_KERNEL,
  type LinearPlan,
  type LinearPlanPair,
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
import { kernelOptions, type LinearOrder } from "./kernels.js";
import { output } from "./native-util.js";

// core's fused equivariant linear map (LINEAR_KERNEL, LINEAR_GRAD_KERNEL) on native/linear.cc.
// The plan is checked and packed into the addon's own copy once per plan object (layers build it
// once), so a call costs one N-API crossing plus the arithmetic.

const natives = new WeakMap<LinearPlan, unknown>();

/** The addon's code for an order (native/linear.cc: 0 lets it choose per pair). */
const ORDER_CODES: Record<LinearOrder, number> = { auto: 0, basis: 1, coefficients: 2, dense: 3 };

const isSize = (v: unknown) => Number.isInteger(v) && (v as number) >= 1;

function checkPair(kernel: string, p: LinearPlanPair, k: number, plan: LinearPlan) {
  const { outSize, inSize, rank, outCopies, inCopies } = p;
  if (![outSize, inSize, rank, outCopies, inCopies].every(isSize))
    fail(
      kernel,
      `plan pair ${k}: outSize, inSize, rank, outCopies, inCopies must be positive integers`,
    );
  const basisLength = rank * outSize * inSize;
  if (!(p.basisT instanceof Float32Array) || p.basisT.length !== basisLength)
    fail(kernel, `plan pair ${k}: basisT must be a Float32Array of length ${basisLength}`);
  if (!p.basisT.every(Number.isFinite)) fail(kernel, `plan pair ${k}: basisT is not finite`);
  const maps: [string, Int32Array, number, number][] = [
    ["out", p.out, outCopies * outSize, plan.outputSize],
    ["in", p.in, inCopies * inSize, plan.inputSize],
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
function nativePlan(addon: NativeAddon, plan: LinearPlan, kernel: string): unknown {
  const hit = natives.get(plan);
  if (hit !== undefined) return hit;
  if (!isSize(plan.inputSize) || !isSize(plan.outputSize) || !Array.isArray(plan.pairs))
    fail(kernel, "attrs.plan must be a LinearPlan {inputSize, outputSize, pairs}");
  const { pairs } = plan;
  const meta = new Int32Array(2 + 5 * pairs.length);
  meta[0] = plan.inputSize;
  meta[1] = plan.outputSize;
  let nIdx = 0;
  let nBases = 0;
  pairs.forEach((p, k) => {
    checkPair(kernel, p, k, plan);
    meta.set([p.outSize, p.inSize, p.rank, p.outCopies, p.inCopies], 2 + 5 * k);
    nIdx += p.out.length + p.in.length;
    nBases += p.basisT.length;
  });
  const idx = new Int32Array(nIdx);
  const bases = new Float32Array(nBases);
  let at = 0;
  let bat = 0;
  for (const p of pairs) {
    idx.set(p.out, at);
    idx.set(p.in, at + p.out.length);
    at += p.out.length + p.in.length;
    bases.set(p.basisT, bat);
    bat += p.basisT.length;
  }
  const native = addon.linearPlan(meta, idx, bases);
  natives.set(plan, native);
  return native;
}

/** x, its batch size and the coefficients' values, checked against the plan. */
function readInputs(
  backend: MathBackendCPU,
  inputs: NamedTensorInfoMap,
  plan: LinearPlan,
  kernel: string,
  featureMajor: boolean,
) {
  const shapes = plan.pairs.map((p) => [p.outCopies * p.inCopies, p.rank]);
  const { weights, ...rest } = layerInputs(
    backend,
    inputs,
    kernel,
    plan.inputSize,
    "c",
    shapes,
    featureMajor,
  );
  return { ...rest, coeffs: weights };
}

/** The optional bias input's values, checked to be [outputSize]; null when absent. */
function readBias(b: MathBackendCPU, inputs: NamedTensorInfoMap, plan: LinearPlan, kernel: string) {
  if (inputs.bias === undefined) return null;
  checkShape(kernel, "bias", inputs.bias, [plan.outputSize]);
  return float32Input(b, inputs.bias, kernel, "bias");
}

/**
 * LINEAR_KERNEL (inputs {x, c0.., bias?}, attrs {plan, featureMajor?}; y [batch, outputSize]) and
 * LINEAR_GRAD_KERNEL (inputs {dy, x, c0.., bias?}; [dx, dc0, ..., dbias if bias]) on the addon.
 * Inputs that do not match the plan throw, naming the kernel and the input.
 */
export function linearKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: LINEAR_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planAttr<LinearPlan>(attrs, LINEAR_KERNEL, "LinearPlan");
        const native = nativePlan(addon, plan, LINEAR_KERNEL);
        const fm = featureMajorAttr(attrs, LINEAR_KERNEL);
        const { bs, xv, coeffs } = readInputs(b, inputs, plan, LINEAR_KERNEL, fm);
        const bias = readBias(b, inputs, plan, LINEAR_KERNEL);
        const y = output(bs * plan.outputSize);
        addon.linear(native, xv, bs, coeffs, y, ORDER_CODES[kernelOptions.linearOrder], bias, fm);
        return b.makeTensorInfo(activationShape(fm, bs, plan.outputSize), "float32", y);
      },
    },
    {
      kernelName: LINEAR_GRAD_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planAttr<LinearPlan>(attrs, LINEAR_GRAD_KERNEL, "LinearPlan");
        const native = nativePlan(addon, plan, LINEAR_GRAD_KERNEL);
        const fm = featureMajorAttr(attrs, LINEAR_GRAD_KERNEL);
        const { x, bs, xv, coeffs } = readInputs(b, inputs, plan, LINEAR_GRAD_KERNEL, fm);
        checkShape(LINEAR_GRAD_KERNEL, "dy", inputs.dy, activationShape(fm, bs, plan.outputSize));
        const dyv = float32Input(b, inputs.dy as TensorInfo, LINEAR_GRAD_KERNEL, "dy");
        const dx = output(xv.length);
        const dcoeffs = coeffs.map((c) => output(c.length));
        const dbias = readBias(b, inputs, plan, LINEAR_GRAD_KERNEL)
          ? new Float32Array(plan.outputSize)
          : null;
        addon.linearGrad(
          native,
          dyv,
          xv,
          bs,
          coeffs,
          dx,
          dcoeffs,
          ORDER_CODES[kernelOptions.linearOrder],
          dbias,
          fm,
        );
        return [
          b.makeTensorInfo([...x.shape], "float32", dx),
          ...dcoeffs.map((d, k) => {
            const p = plan.pairs[k] as LinearPlanPair;
            return b.makeTensorInfo([p.outCopies * p.inCopies, p.rank], "float32", d);
          }),
          ...(dbias ? [b.makeTensorInfo([plan.outputSize], "float32", dbias)] : []),
        ];
      },
    },
  ];
}
