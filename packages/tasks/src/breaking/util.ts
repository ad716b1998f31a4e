import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import type { BreakingData, BreakingMetric, Predictions } from "./types.js";

/** A positive integer or a typed error naming `what`. */
export function checkCount(value: unknown, what: string, min = 1): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new InvalidArgumentError(`${what} must be an integer >= ${min}, got ${String(value)}.`);
  }
  return value;
}

/** A finite number in [lo, hi] or a typed error. */
export function checkRange(value: unknown, what: string, lo: number, hi: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < lo || value > hi) {
    throw new InvalidArgumentError(`${what} must lie in [${lo}, ${hi}], got ${String(value)}.`);
  }
  return value;
}

/** Predictions as a Float64Array of n x dim values (checked). */
export function predictionArray(
  pred: Predictions,
  n: number,
  dim: number,
  task: string,
): Float64Array {
  const values = pred instanceof tf.Tensor ? pred.dataSync() : pred;
  if (values.length !== n * dim) {
    throw new ShapeError(
      `${task}: predictions`,
      `[${n}, ${dim}] (${n * dim} numbers)`,
      `${values.length} numbers`,
    );
  }
  return Float64Array.from(values as ArrayLike<number>);
}

/** The row indices of a loss call, checked against the data and the prediction tensor. */
export function resolveRows(
  pred: tf.Tensor2D,
  data: BreakingData,
  dim: number,
  task: string,
  rows?: ArrayLike<number>,
): Int32Array {
  const r = rows ? Int32Array.from(rows) : Int32Array.from({ length: data.n }, (_, i) => i);
  if (pred.rank !== 2 || pred.shape[0] !== r.length || pred.shape[1] !== dim) {
    throw new ShapeError(
      `${task}: loss predictions`,
      `[${r.length}, ${dim}]`,
      `[${pred.shape.join(", ")}]`,
    );
  }
  for (const i of r) {
    if (!(i >= 0 && i < data.n)) {
      throw new InvalidArgumentError(`${task}: row ${i} is outside the ${data.n} instances.`);
    }
  }
  return r;
}

/** Rows `rows` of a row-major n x dim array. */
export function gatherRows(a: ArrayLike<number>, dim: number, rows: Int32Array): Float32Array {
  const out = new Float32Array(rows.length * dim);
  for (let b = 0; b < rows.length; b++) {
    const src = (rows[b] as number) * dim;
    for (let j = 0; j < dim; j++) out[b * dim + j] = a[src + j] as number;
  }
  return out;
}

function meanWhere(values: Float64Array, mask: Uint8Array, want: number): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask[i] === want) {
      s += values[i] as number;
      c++;
    }
  }
  return c === 0 ? Number.NaN : s / c;
}

function mean(values: Float64Array): number {
  let s = 0;
  for (const v of values) s += v;
  return values.length === 0 ? Number.NaN : s / values.length;
}

/** A `BreakingMetric` from per-instance values. */
export function summarize(
  name: string,
  higherIsBetter: boolean,
  perInstance: Float64Array,
  data: BreakingData,
): BreakingMetric {
  return {
    name,
    higherIsBetter,
    value: mean(perInstance),
    perInstance,
    equivariantBound: mean(data.equivariantBound),
    symmetricValue: meanWhere(perInstance, data.symmetric, 1),
    genericValue: meanWhere(perInstance, data.symmetric, 0),
  };
}
