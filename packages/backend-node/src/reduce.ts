import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  backend_util,
  type KernelConfig,
  type NamedAttrMap,
  Sum,
  type SumAttrs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { cpuKernel, like, typed } from "./native-util.js";

// Sum on the addon (native/reduce.cc): any axes, no transpose first (the cpu kernel transposes
// the reduced axes to the end, e.g. the bias gradient [500, 432] -> [432]). float32 and int32;
// bool and the rest go to the cpu kernel.

export function nativeSum(
  addon: NativeAddon,
  backend: MathBackendCPU,
  x: TensorInfo,
  attrs: SumAttrs,
): TensorInfo {
  const v = typed(backend, x);
  const axes = v ? util.parseAxisParam(attrs.axis, x.shape) : [];
  if (!v || new Set(axes).size !== axes.length) {
    return cpuKernel(Sum, backend, { x }, attrs as unknown as NamedAttrMap);
  }
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const out = like(v, util.sizeFromShape(outShape));
  addon.sum(v, x.shape, axes, out);
  const shape = attrs.keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  return backend.makeTensorInfo(shape, x.dtype, out);
}

export function reduceKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: Sum,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) =>
        nativeSum(
          addon,
          backend as MathBackendCPU,
          inputs.x as TensorInfo,
          attrs as unknown as SumAttrs,
        ),
    },
  ];
}
