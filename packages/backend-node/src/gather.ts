import {
  backend_util,
  GatherV2,
  type GatherV2Attrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { copyRun, like, typed, withCpuFallback } from "./native-util.js";

// GatherV2 as one typed-array copy per gathered slice. The cpu kernel moves element by element
// through index conversions: 1.9 ms to pick a 500-row batch out of a [3000, 20] training set,
// which the trainer does twice (inputs and labels) every step. float32 and int32 values with
// int32 indices and no batch dimensions; the rest goes to the cpu kernel.

/** Rows `idx` of `v` seen as [outer, dim, inner], as [outer, idx.length, inner]. */
export function gatherSlices(
  v: Float32Array | Int32Array,
  outer: number,
  dim: number,
  inner: number,
  idx: Int32Array,
): Float32Array | Int32Array {
  const out = like(v, outer * idx.length * inner);
  let at = 0;
  for (let o = 0; o < outer; o++) {
    const base = o * dim * inner;
    for (const i of idx) {
      copyRun(v, base + i * inner, out, at, inner);
      at += inner;
    }
  }
  return out;
}

export function gatherKernels(backendName: string): KernelConfig[] {
  return [
    withCpuFallback<GatherV2Attrs>(GatherV2, backendName, (b, inputs, { axis, batchDims }) => {
      const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
      const v = typed(b, x);
      const idx = b.data.get(indices.dataId)?.values;
      if (!v || !(idx instanceof Int32Array) || (batchDims ?? 0) !== 0 || x.shape.length === 0)
        return null;
      const ax = util.parseAxisParam(axis, x.shape)[0] as number;
      const dim = x.shape[ax] as number;
      for (const i of idx) {
        util.assert(
          i <= dim - 1 && i >= 0,
          () => `GatherV2: the index value ${i} is not in [0, ${dim - 1}]`,
        );
      }
      const info = backend_util.segment_util.collectGatherOpShapeInfo(
        x as never,
        indices as never,
        ax,
        0,
      );
      const outer = util.sizeFromShape(x.shape.slice(0, ax));
      const inner = util.sizeFromShape(x.shape.slice(ax + 1));
      return {
        shape: info.outputShape,
        dtype: x.dtype,
        values: gatherSlices(v, outer, dim, inner, idx),
      };
    }),
  ];
}
