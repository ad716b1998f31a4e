import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  type _FusedMatMulInputs,
  BatchMatMul,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  broadcast_util,
  getKernel,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { NativeAddon } from "./addon.js";
import { output } from "./native-util.js";

/** The order in which the fused linear kernels apply a pair (native/linear.cc). */
export type LinearOrder = "auto" | "basis" | "coefficients" | "dense";

/**
 * Which SGEMM the kernels call: the built BLAS (OpenBLAS when linked) or the bundled one;
 * whether the fused bilinear kernels contract each pair in the plan's order rather than in the
 * one the addon finds cheaper; and one order for every pair of the fused linear kernels instead
 * of the cheapest per pair. The last two are for tests: each order has its own code.
 */
export const kernelOptions: {
  bundled: boolean;
  bilinearPlanOrder: boolean;
  linearOrder: LinearOrder;
} = { bundled: false, bilinearPlanOrder: false, linearOrder: "auto" };

function cpuKernel(name: string): KernelFunc {
  const k = getKernel(name, "cpu");
  if (!k) throw new Error(`@isotropy/backend-node: the cpu backend has no ${name} kernel`);
  return k.kernelFunc;
}

function run(
  name: string,
  backend: MathBackendCPU,
  inputs: Record<string, TensorInfo>,
  attrs: NamedAttrMap = {},
): TensorInfo {
  return cpuKernel(name)({ inputs, backend, attrs }) as TensorInfo;
}

/**
 * Offsets (in elements) of each output batch's A and B matrices, with NumPy broadcasting of the
 * batch dimensions (right-aligned, size-1 dimensions repeat).
 */
export function batchOffsets(
  outBatch: readonly number[],
  aBatch: readonly number[],
  bBatch: readonly number[],
  aSize: number,
  bSize: number,
): [Uint32Array, Uint32Array] {
  const total = util.sizeFromShape(outBatch as number[]);
  const aOff = new Uint32Array(total);
  const bOff = new Uint32Array(total);
  const rank = outBatch.length;
  const strides = (shape: readonly number[]): number[] => {
    const s = new Array<number>(rank).fill(0);
    let acc = 1;
    for (let d = shape.length - 1; d >= 0; d--) {
      const od = rank - shape.length + d;
      s[od] = (shape[d] as number) === 1 ? 0 : acc;
      acc *= shape[d] as number;
    }
    return s;
  };
  const sa = strides(aBatch);
  const sb = strides(bBatch);
  const idx = new Array<number>(rank).fill(0);
  for (let i = 0; i < total; i++) {
    let oa = 0;
    let ob = 0;
    for (let d = 0; d < rank; d++) {
      oa += (idx[d] as number) * (sa[d] as number);
      ob += (idx[d] as number) * (sb[d] as number);
    }
    aOff[i] = oa * aSize;
    bOff[i] = ob * bSize;
    for (let d = rank - 1; d >= 0; d--) {
      idx[d] = (idx[d] as number) + 1;
      if ((idx[d] as number) < (outBatch[d] as number)) break;
      idx[d] = 0;
    }
  }
  return [aOff, bOff];
}

function f32(backend: MathBackendCPU, t: TensorInfo): Float32Array | undefined {
  const v = backend.data.get(t.dataId).values;
  if (v instanceof Float32Array) return v;
  if (v === undefined || v === null) return undefined;
  return Float32Array.from(v as ArrayLike<number>);
}

/** BatchMatMul on the native SGEMM; the cpu kernel for what it does not cover (non-float32). */
export function nativeBatchMatMul(
  addon: NativeAddon,
  backend: MathBackendCPU,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): TensorInfo {
  const aVals = a.dtype === "float32" ? f32(backend, a) : undefined;
  const bVals = b.dtype === "float32" ? f32(backend, b) : undefined;
  if (!aVals || !bVals || aVals.length >= 2 ** 32 || bVals.length >= 2 ** 32) {
    return run(BatchMatMul, backend, { a, b }, { transposeA, transposeB });
  }
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const innerA = (transposeA ? a.shape[aRank - 2] : a.shape[aRank - 1]) as number;
  const innerB = (transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2]) as number;
  const m = (transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2]) as number;
  const n = (transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1]) as number;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outBatch = broadcast_util.assertAndGetBroadcastShape(aBatch, bBatch);
  util.assert(
    innerA === innerB,
    () =>
      `Error in matMul: inner shapes (${innerA}) and (${innerB}) of Tensors with shapes ` +
      `${a.shape} and ${b.shape} and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
  );
  const k = innerA;
  const outShape = [...outBatch, m, n];
  const out = output(util.sizeFromShape(outShape));
  if (k === 0) out.fill(0);
  else if (out.length > 0) {
    const [aOff, bOff] = batchOffsets(outBatch, aBatch, bBatch, m * k, k * n);
    addon.batchMatMul(
      aVals,
      bVals,
      out,
      m,
      n,
      k,
      transposeA,
      transposeB,
      aOff,
      bOff,
      kernelOptions.bundled,
    );
  }
  return backend.makeTensorInfo(outShape, "float32", out);
}

const ACTIVATIONS: Record<string, string> = {
  relu: "Relu",
  elu: "Elu",
  relu6: "Relu6",
  prelu: "Prelu",
  leakyrelu: "LeakyRelu",
  sigmoid: "Sigmoid",
};

/** _FusedMatMul: native product, bias added in place when it is a row vector, cpu activations. */
export function nativeFusedMatMul(
  addon: NativeAddon,
  backend: MathBackendCPU,
  inputs: _FusedMatMulInputs,
  attrs: _FusedMatMulAttrs,
): TensorInfo {
  const { a, b, bias, preluActivationWeights } = inputs;
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs;
  let current = nativeBatchMatMul(addon, backend, a, b, transposeA, transposeB);
  if (bias) {
    const n = current.shape[current.shape.length - 1] as number;
    const rowVector =
      bias.dtype === "float32" &&
      current.dtype === "float32" &&
      bias.shape.length <= current.shape.length &&
      util.sizeFromShape(bias.shape) === n &&
      (bias.shape.length === 0 ? n === 1 : bias.shape[bias.shape.length - 1] === n);
    const biasVals = rowVector ? f32(backend, bias) : undefined;
    if (biasVals) {
      const out = backend.data.get(current.dataId).values as Float32Array;
      for (let i = 0; i < out.length; i += n) {
        for (let j = 0; j < n; j++) out[i + j] = (out[i + j] as number) + (biasVals[j] as number);
      }
    } else {
      const added = run("Add", backend, { a: current, b: bias });
      backend.disposeIntermediateTensorInfo(current);
      current = added;
    }
  }
  if (activation && activation !== "linear") {
    const kernel = ACTIVATIONS[activation];
    if (!kernel) {
      throw new Error(`Activation ${activation} has not been implemented for the node backend.`);
    }
    const inputsFor: Record<string, TensorInfo> = { x: current };
    const attrsFor: NamedAttrMap = {};
    if (activation === "prelu") {
      if (!preluActivationWeights) throw new Error("prelu activation needs its weights");
      inputsFor.alpha = preluActivationWeights;
    }
    if (activation === "leakyrelu") attrsFor.alpha = leakyreluAlpha ?? 0.2;
    const activated = run(kernel, backend, inputsFor, attrsFor);
    backend.disposeIntermediateTensorInfo(current);
    current = activated;
  }
  return current;
}

/** The kernel configs that replace the cpu ones under `backendName`. */
export function nativeKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  return [
    {
      kernelName: BatchMatMul,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) => {
        const { a, b } = inputs as unknown as BatchMatMulInputs;
        const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
        return nativeBatchMatMul(
          addon,
          backend as MathBackendCPU,
          a as TensorInfo,
          b as TensorInfo,
          transposeA,
          transposeB,
        );
      },
    },
    {
      kernelName: _FusedMatMul,
      backendName,
      kernelFunc: ({ inputs, attrs, backend }) =>
        nativeFusedMatMul(
          addon,
          backend as MathBackendCPU,
          inputs as unknown as _FusedMatMulInputs,
          attrs as unknown as _FusedMatMulAttrs,
        ),
    },
  ];
}
