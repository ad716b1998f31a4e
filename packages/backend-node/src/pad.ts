import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  type KernelConfig,
  type NamedAttrMap,
  PadV2,
  type PadV2Attrs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { cpuKernel, like, typed } from "./native-util.js";

// PadV2 on the addon (native/pad.cc): the gradient of Slice, which the cpu backend runs as a
// per-element index conversion (28 ms for [81, 500] -> [432, 500]); natively it is a few row
// copies. float32 and int32 with non-negative integer paddings; the rest goes to the cpu kernel.

export function nativePadV2(
  addon: NativeAddon,
  backend: MathBackendCPU,
  x: TensorInfo,
  attrs: PadV2Attrs,
): TensorInfo {
  const { paddings, constantValue } = attrs;
  const v = typed(backend, x);
  const flat = paddings.flat();
  if (
    !v ||
    paddings.length !== x.shape.length ||
    flat.length !== 2 * x.shape.length ||
    !flat.every((p) => Number.isInteger(p) && p >= 0)
  ) {
    return cpuKernel(PadV2, backend, { x }, attrs as unknown as NamedAttrMap);
  }
  const shape = paddings.map((p, i) => p[0] + (x.shape[i] as number) + p[1]);
  const out = like(v, util.sizeFromShape(shape));
  // Int32Array.fill truncates like `| 0`; Float32Array's rounding is the addon's (double -> float).
  const constant = v instanceof Int32Array ? constantValue | 0 : constantValue;
  addon.padV2(v, x.shape, flat, constant, out);
  return backend.makeTensorInfo(shape, x.dtype, out);
}

export function padKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: PadV2,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) =>
        nativePadV2(
          addon,
          backend as MathBackendCPU,
          inputs.x as TensorInfo,
          attrs as unknown as PadV2Attrs,
        ),
    },
  ];
}
