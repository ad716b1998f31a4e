import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from "@isotropy/core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import type { KernelConfig } from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { checkShape, fail, float32Input } from "./kernel-inputs.js";

// core's ADAM_UPDATE_KERNEL on native/adam.cc: one pass per weight where the composite runs
// twelve elementwise kernels (18 ms of an EMLP(384) step's Adam on inertia, 56 weights).

const COEFFICIENTS = ["beta1", "beta2", "epsilon", "learningRate", "c1", "c2"] as const;

function coefficients(attrs: unknown): number[] {
  const a = (attrs ?? {}) as Partial<Record<keyof AdamUpdateAttrs, unknown>>;
  return COEFFICIENTS.map((k) => {
    const v = a[k];
    if (typeof v !== "number" || !Number.isFinite(v))
      fail(ADAM_UPDATE_KERNEL, `attrs.${k} must be a finite number, got ${String(v)}`);
    return v;
  });
}

/** ADAM_UPDATE_KERNEL (inputs {w, g, m, v}, attrs AdamUpdateAttrs; [w', m', v']) on the addon. */
export function adamKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: ADAM_UPDATE_KERNEL,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const b = backend as MathBackendCPU;
        const k = coefficients(attrs);
        const shape = inputs.w?.shape;
        if (!shape) fail(ADAM_UPDATE_KERNEL, "input w is missing");
        const [w, g, m, v] = (["w", "g", "m", "v"] as const).map((name) => {
          checkShape(ADAM_UPDATE_KERNEL, name, inputs[name], shape);
          return float32Input(b, inputs[name], ADAM_UPDATE_KERNEL, name);
        }) as [Float32Array, Float32Array, Float32Array, Float32Array];
        const out = [0, 1, 2].map(() => new Float32Array(w.length)) as [
          Float32Array,
          Float32Array,
          Float32Array,
        ];
        addon.adamUpdate(w, g, m, v, ...out, k);
        return out.map((o) => b.makeTensorInfo(shape, "float32", o));
      },
    },
  ];
}
