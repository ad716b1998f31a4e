import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  type KernelConfig,
  type TensorInfo,
  Transpose,
  type TransposeAttrs,
} from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { cpuKernel, like, typed } from "./native-util.js";

// Transpose on the addon (native/transpose.cc): dimensions collapsed, then row copies or
// cache-blocked tiles. float32 and int32; other dtypes go to the cpu kernel.

export function nativeTranspose(
  addon: NativeAddon,
  backend: MathBackendCPU,
  x: TensorInfo,
  perm: number[],
): TensorInfo {
  const v = typed(backend, x);
  if (!v || perm.length !== x.shape.length) return cpuKernel(Transpose, backend, { x }, { perm });
  const shape = perm.map((p) => x.shape[p] as number);
  const out = like(v, v.length);
  addon.transpose(v, x.shape, perm, out);
  return backend.makeTensorInfo(shape, x.dtype, out);
}

export function transposeKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: Transpose,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) =>
        nativeTranspose(
          addon,
          backend as MathBackendCPU,
          inputs.x as TensorInfo,
          (attrs as unknown as TransposeAttrs).perm,
        ),
    },
  ];
}
