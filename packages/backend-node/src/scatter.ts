import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  backend_util,
  type KernelConfig,
  type NamedAttrMap,
  ScatterNd,
  type ScatterNdAttrs,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { cpuKernel, like, typed } from "./native-util.js";

// ScatterNd on the addon (native/scatter.cc). The layers use it as the gradient of a row gather
// (indices int32 [n, 1], updates [n, k] or [n], duplicates summed). An out-of-range index goes
// to the cpu kernel, which throws its own error.

export function nativeScatterNd(
  addon: NativeAddon,
  backend: MathBackendCPU,
  indices: TensorInfo,
  updates: TensorInfo,
  attrs: ScatterNdAttrs,
): TensorInfo {
  const { shape } = attrs;
  const iv = typed(backend, indices);
  const uv = typed(backend, updates);
  const fallback = () =>
    cpuKernel(ScatterNd, backend, { indices, updates }, attrs as unknown as NamedAttrMap);
  if (!(iv instanceof Int32Array) || !uv) return fallback();
  const { sliceRank, numUpdates, sliceSize, strides, outputSize } = backend_util.calculateShapes(
    updates,
    indices,
    shape,
  );
  const out = like(uv, outputSize);
  if (outputSize === 0) return backend.makeTensorInfo(shape, updates.dtype, out);
  if (
    sliceRank < 1 ||
    uv.length !== numUpdates * sliceSize ||
    iv.length !== numUpdates * sliceRank
  ) {
    return fallback();
  }
  if (addon.scatterNd(iv, uv, out, sliceRank, sliceSize, strides) >= 0) return fallback();
  return backend.makeTensorInfo(shape, updates.dtype, out);
}

export function scatterKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: ScatterNd,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) =>
        nativeScatterNd(
          addon,
          backend as MathBackendCPU,
          inputs.indices as TensorInfo,
          inputs.updates as TensorInfo,
          attrs as unknown as ScatterNdAttrs,
        ),
    },
  ];
}
