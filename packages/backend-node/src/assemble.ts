import { ASSEMBLE_GRAD_KERNEL, ASSEMBLE_KERNEL, type AssemblyPlan } from "@isotropy/core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { checkShape, fail, float32Input } from "./kernel-inputs.js";

// core's fused basis assembly (ASSEMBLE_KERNEL, ASSEMBLE_GRAD_KERNEL) on native/assemble.cc. A
// plan is checked once per plan object (sizes, index ranges, every position written at most
// once) and packed into the addon's argument arrays; the addon re-checks lengths and ranges.

interface Packed {
  meta: Int32Array;
  bases: Float32Array[];
  index: Int32Array[];
}

const packed = new WeakMap<AssemblyPlan, Packed>();

function pack(plan: AssemblyPlan | undefined, kernel: string): Packed {
  if (!plan || typeof plan !== "object" || !Array.isArray(plan.pairs))
    fail(kernel, "attrs.plan (an AssemblyPlan {size, pairs}) is required");
  const hit = packed.get(plan);
  if (hit) return hit;
  if (!Number.isInteger(plan.size) || plan.size < 0)
    fail(kernel, "plan.size must be a non-negative integer");
  const seen = new Uint8Array(plan.size);
  const meta = new Int32Array(3 * plan.pairs.length);
  plan.pairs.forEach((p, k) => {
    const { rows, rank, blockSize, basisT, index } = p;
    if (![rows, rank, blockSize].every((v) => Number.isInteger(v) && v >= 0))
      fail(kernel, `plan pair ${k}: rows, rank, blockSize must be non-negative integers`);
    if (!(basisT instanceof Float32Array) || basisT.length !== rank * blockSize)
      fail(kernel, `plan pair ${k}: basisT must be a Float32Array of length ${rank * blockSize}`);
    if (!(index instanceof Int32Array) || index.length !== rows * blockSize)
      fail(kernel, `plan pair ${k}: index must be an Int32Array of length ${rows * blockSize}`);
    for (const i of index) {
      if (i < 0 || i >= plan.size)
        fail(kernel, `plan pair ${k}: index ${i} outside [0, ${plan.size})`);
      if (seen[i]) fail(kernel, `plan pair ${k}: position ${i} is written twice`);
      seen[i] = 1;
    }
    meta.set([rows, rank, blockSize], 3 * k);
  });
  const out = {
    meta,
    bases: plan.pairs.map((p) => p.basisT),
    index: plan.pairs.map((p) => p.index),
  };
  packed.set(plan, out);
  return out;
}

function planOf(attrs: unknown): AssemblyPlan | undefined {
  return (attrs as { plan?: AssemblyPlan } | undefined)?.plan;
}

function coefficients(b: MathBackendCPU, inputs: NamedTensorInfoMap, plan: AssemblyPlan) {
  return plan.pairs.map((p, k) => {
    const c = inputs[`c${k}`];
    const v = float32Input(b, c, ASSEMBLE_KERNEL, `c${k}`);
    checkShape(ASSEMBLE_KERNEL, `c${k}`, c as TensorInfo, [p.rows, p.rank]);
    return v;
  });
}

/** ASSEMBLE_KERNEL (inputs {c0..}; w) and ASSEMBLE_GRAD_KERNEL (inputs {dw}; [dc0, ...]). */
export function assembleKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: ASSEMBLE_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planOf(attrs);
        const p = pack(plan, ASSEMBLE_KERNEL);
        const cs = coefficients(b, inputs, plan as AssemblyPlan);
        const w = new Float32Array((plan as AssemblyPlan).size);
        addon.assemble(p.meta, p.bases, p.index, cs, w);
        return b.makeTensorInfo([w.length], "float32", w);
      },
    },
    {
      kernelName: ASSEMBLE_GRAD_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const plan = planOf(attrs);
        const p = pack(plan, ASSEMBLE_GRAD_KERNEL);
        const { size, pairs } = plan as AssemblyPlan;
        const dwv = float32Input(b, inputs.dw, ASSEMBLE_GRAD_KERNEL, "dw");
        checkShape(ASSEMBLE_GRAD_KERNEL, "dw", inputs.dw as TensorInfo, [size]);
        const dcs = pairs.map((q) => new Float32Array(q.rows * q.rank));
        addon.assembleGrad(p.meta, p.bases, p.index, dcs, dwv);
        return dcs.map((d, k) => {
          const q = pairs[k] as AssemblyPlan["pairs"][number];
          return b.makeTensorInfo([q.rows, q.rank], "float32", d);
        });
      },
    },
  ];
}
