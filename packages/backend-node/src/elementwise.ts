import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  Add,
  AddN,
  backend_util,
  type KernelConfig,
  Multiply,
  RealDiv,
  Sigmoid,
  Sub,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { cpuKernel, like, typed } from "./native-util.js";

// Add/Sub/Multiply/RealDiv (broadcasting), AddN and Sigmoid on the addon (native/elementwise.cc).
// In an EMLP step these run on [500, 432]-sized tensors: gradient accumulation (Add of
// same-shape tensors), bias rows ([500, 432] + [432]) and gates ([11, 9, 500] * [11, 1, 500]).
// float32 and int32 (not RealDiv) with equal dtypes; anything else goes to the cpu kernel.

const OPS: Record<string, number> = { [Add]: 0, [Sub]: 1, [Multiply]: 2, [RealDiv]: 3 };

export function nativeBinary(
  addon: NativeAddon,
  name: string,
  backend: MathBackendCPU,
  a: TensorInfo,
  b: TensorInfo,
): TensorInfo {
  const op = OPS[name] as number;
  const av = typed(backend, a);
  const bv = typed(backend, b);
  if (!av || !bv || a.dtype !== b.dtype || (op === 3 && a.dtype !== "float32")) {
    return cpuKernel(name, backend, { a, b });
  }
  const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const out = like(av, util.sizeFromShape(shape));
  addon.binary(op, av, a.shape, bv, b.shape, out);
  return backend.makeTensorInfo(shape, a.dtype, out);
}

export function nativeAddN(
  addon: NativeAddon,
  backend: MathBackendCPU,
  tensors: TensorInfo[],
): TensorInfo {
  const first = tensors[0];
  const vs = tensors.map((t) => typed(backend, t));
  if (
    !first ||
    vs.some(
      (v, i) =>
        !v ||
        (tensors[i] as TensorInfo).dtype !== first.dtype ||
        v.length !== util.sizeFromShape(first.shape),
    )
  ) {
    return cpuKernel(AddN, backend, tensors);
  }
  const out = like(vs[0] as Float32Array | Int32Array, util.sizeFromShape(first.shape));
  addon.addN(vs as (Float32Array | Int32Array)[], out);
  return backend.makeTensorInfo(first.shape, first.dtype, out);
}

export function nativeSigmoid(addon: NativeAddon, backend: MathBackendCPU, x: TensorInfo) {
  const v = typed(backend, x);
  if (!(v instanceof Float32Array)) return cpuKernel(Sigmoid, backend, { x });
  const out = new Float32Array(v.length);
  addon.sigmoid(v, out);
  return backend.makeTensorInfo(x.shape, "float32", out);
}

export function elementwiseKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  const binary = (name: string): KernelConfig => ({
    kernelName: name,
    backendName,
    kernelFunc: ({ inputs, backend }) =>
      nativeBinary(
        addon,
        name,
        backend as MathBackendCPU,
        inputs.a as TensorInfo,
        inputs.b as TensorInfo,
      ),
  });
  return [
    binary(Add),
    binary(Sub),
    binary(Multiply),
    binary(RealDiv),
    {
      kernelName: AddN,
      backendName,
      kernelFunc: ({ inputs, backend }) =>
        nativeAddN(addon, backend as MathBackendCPU, inputs as unknown as TensorInfo[]),
    },
    {
      kernelName: Sigmoid,
      backendName,
      kernelFunc: ({ inputs, backend }) =>
        nativeSigmoid(addon, backend as MathBackendCPU, inputs.x as TensorInfo),
    },
  ];
}
