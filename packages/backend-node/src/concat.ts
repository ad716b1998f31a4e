import {
  backend_util,
  Concat,
  type ConcatAttrs,
  type KernelConfig,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { copyRun, like, typed, withCpuFallback } from "./native-util.js";

// Concat as one typed-array copy per input row. The cpu kernel copies element by element unless
// the result is a single row: 4.2 ms to append a [500, 16] block of codes or noise to a
// [500, 432] batch, which noise injection and the symmetry-breaking models do every step.
// float32 or int32 inputs of one dtype; the rest goes to the cpu kernel.

/** The inputs, each seen as [rows, width_i], joined along their second dimension. */
export function concatRows(
  parts: readonly (Float32Array | Int32Array)[],
  widths: readonly number[],
  rows: number,
): Float32Array | Int32Array {
  const total = widths.reduce((a, w) => a + w, 0);
  const out = like(parts[0] as Float32Array | Int32Array, rows * total);
  let col = 0;
  parts.forEach((p, k) => {
    const w = widths[k] as number;
    for (let r = 0; r < rows; r++) copyRun(p, r * w, out, r * total + col, w);
    col += w;
  });
  return out;
}

export function concatKernels(backendName: string): KernelConfig[] {
  return [
    withCpuFallback<ConcatAttrs>(Concat, backendName, (b, inputs, { axis }) => {
      const ts = inputs as unknown as TensorInfo[];
      const first = ts[0];
      if (!first || first.shape.length === 0) return null;
      const ax = util.parseAxisParam(axis, first.shape)[0] as number;
      const kept = ts.filter((t) => util.sizeFromShape(t.shape) > 0);
      const values = kept.map((t) => (t.dtype === first.dtype ? typed(b, t) : undefined));
      const rows = util.sizeFromShape(first.shape.slice(0, ax));
      if (kept.length < 2 || rows <= 1 || values.some((v) => v === undefined)) return null;
      const shapes = ts.map((t) => t.shape);
      backend_util.assertParamsConsistent(shapes, ax);
      const widths = kept.map((t) => util.sizeFromShape(t.shape.slice(ax)));
      return {
        shape: backend_util.computeOutShape(shapes, ax),
        dtype: first.dtype,
        values: concatRows(values as (Float32Array | Int32Array)[], widths, rows),
      };
    }),
  ];
}
