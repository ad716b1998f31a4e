import {
  type KernelConfig,
  Slice,
  type SliceAttrs,
  slice_util,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { copyRun, like, typed, withCpuFallback } from "./native-util.js";

// Slice as copies of contiguous runs. The cpu backend's kernel converts every element's index
// unless the slice is one contiguous block: 190 ms for a [500, 432] -> [500, 384] column slice
// (RPP's split of its output), 5 ms for [9, 504] -> [9, 500]. Here each run of the innermost
// dimensions that the slice keeps whole is one typed-array copy. float32 and int32; contiguous
// slices and other dtypes stay with the cpu kernel (a view, for the former).

/** x[begin : begin + size] for float32 or int32 values of `shape` (all of rank >= 1). */
export function sliceRuns(
  v: Float32Array | Int32Array,
  shape: readonly number[],
  begin: readonly number[],
  size: readonly number[],
): Float32Array | Int32Array {
  const rank = shape.length;
  const strides = util.computeStrides([...shape]);
  const stride = (i: number) => (i < rank - 1 ? (strides[i] as number) : 1);
  // k: the outermost dimension after which the slice keeps every dimension whole; a run is
  // size[k] of dimension k's steps, contiguous in x and in the output.
  let k = rank - 1;
  while (k > 0 && begin[k] === 0 && size[k] === shape[k]) k--;
  const run = (size[k] as number) * stride(k);
  const out = like(v, util.sizeFromShape([...size]));
  const index = new Array<number>(k).fill(0);
  let base = 0;
  for (let i = 0; i <= k; i++) base += (begin[i] as number) * stride(i);
  for (let at = 0; at < out.length; at += run) {
    let src = base;
    for (let i = 0; i < k; i++) src += (index[i] as number) * stride(i);
    copyRun(v, src, out, at, run);
    // The next outer index, last dimension fastest.
    for (let i = k - 1; i >= 0; i--) {
      index[i] = (index[i] as number) + 1;
      if ((index[i] as number) < (size[i] as number)) break;
      index[i] = 0;
    }
  }
  return out;
}

export function sliceKernels(backendName: string): KernelConfig[] {
  return [
    withCpuFallback<SliceAttrs>(Slice, backendName, (b, inputs, { begin, size }) => {
      const x = inputs.x as TensorInfo;
      const v = typed(b, x);
      if (!v || x.shape.length === 0) return null;
      const [$begin, $size] = slice_util.parseSliceParams(x, begin, size);
      slice_util.assertParamsValid(x, $begin, $size);
      // A contiguous slice is the cpu kernel's view of x (no copy at all).
      if (slice_util.isSliceContinous(x.shape, $begin, $size) || util.sizeFromShape($size) === 0)
        return null;
      return { shape: $size, dtype: x.dtype, values: sliceRuns(v, x.shape, $begin, $size) };
    }),
  ];
}
