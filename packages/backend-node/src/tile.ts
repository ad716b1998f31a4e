import {
  type KernelConfig,
  type TensorInfo,
  Tile,
  type TileAttrs,
  util,
} from "@tensorflow/tfjs-core";
import { copyRun, like, typed, withCpuFallback } from "./native-util.js";

// Tile by blocks: each dimension's first copy is written, then repeated with copyWithin. The cpu
// kernel converts every output element's index: 3.3 ms for [500, 1, 9] -> [500, 8, 9], which the
// orbit-aware loss does every step. float32 and int32; the rest goes to the cpu kernel.

/** `v` of `shape` tiled `reps` times along each dimension (rank >= 1): the shape and values. */
export function tileBlocks(
  v: Float32Array | Int32Array,
  shape: readonly number[],
  reps: readonly number[],
): { shape: number[]; values: Float32Array | Int32Array } {
  const rank = shape.length;
  const outShape = shape.map((s, i) => s * (reps[i] as number));
  const out = like(v, util.sizeFromShape(outShape));
  if (out.length === 0) return { shape: outShape, values: out };
  const inStrides = util.computeStrides([...shape]);
  const outStrides = util.computeStrides(outShape);
  const inStride = (d: number) => (d < rank - 1 ? (inStrides[d] as number) : 1);
  const outStride = (d: number) => (d < rank - 1 ? (outStrides[d] as number) : 1);
  const fill = (d: number, src: number, dst: number): void => {
    const n = shape[d] as number;
    if (d === rank - 1) {
      copyRun(v, src, out, dst, n);
    } else {
      for (let i = 0; i < n; i++) fill(d + 1, src + i * inStride(d), dst + i * outStride(d));
    }
    const block = n * outStride(d);
    for (let r = 1; r < (reps[d] as number); r++) out.copyWithin(dst + r * block, dst, dst + block);
  };
  fill(0, 0, 0);
  return { shape: outShape, values: out };
}

export function tileKernels(backendName: string): KernelConfig[] {
  return [
    withCpuFallback<TileAttrs>(Tile, backendName, (b, inputs, { reps }) => {
      const x = inputs.x as TensorInfo;
      const v = typed(b, x);
      if (!v || x.shape.length === 0 || reps.length !== x.shape.length) return null;
      return { dtype: x.dtype, ...tileBlocks(v, x.shape, reps) };
    }),
  ];
}
