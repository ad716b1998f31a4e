import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import type { Batch } from "./checks.js";

/**
 * Mean squared error over all entries, `mean((pred - y)^2)`, accumulated in float64. For a
 * multi-output task (inertia's 9 numbers) the mean is over samples and outputs, as emlp's.
 */
export function mse(pred: Batch, y: Batch): number {
  return sse(pred, y) / nonEmpty(y.length, "mse");
}

/** Root mean squared error, `sqrt(mse(pred, y))`. */
export function rmse(pred: Batch, y: Batch): number {
  return Math.sqrt(mse(pred, y));
}

/** Sum of squared errors (for accumulating an MSE over batches). */
export function sse(pred: Batch, y: Batch): number {
  if (pred.length !== y.length) {
    throw new ShapeError(
      "predictions",
      `${y.length} numbers (as many as the targets)`,
      `${pred.length}`,
    );
  }
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const d = (pred[i] as number) - (y[i] as number);
    s += d * d;
  }
  return s;
}

/** Mean squared error of each output coordinate (length `dim`), over the samples. */
export function msePerOutput(pred: Batch, y: Batch, dim: number): Float64Array {
  if (pred.length !== y.length) {
    throw new ShapeError(
      "predictions",
      `${y.length} numbers (as many as the targets)`,
      `${pred.length}`,
    );
  }
  if (y.length % dim !== 0) {
    throw new ShapeError("targets", `[n, ${dim}]`, `${y.length} numbers`);
  }
  const n = nonEmpty(y.length / dim, "msePerOutput");
  const out = new Float64Array(dim);
  for (let i = 0; i < y.length; i++) {
    const d = (pred[i] as number) - (y[i] as number);
    out[i % dim] += d * d;
  }
  for (let j = 0; j < dim; j++) out[j] /= n;
  return out;
}

function nonEmpty(n: number, what: string): number {
  if (n === 0) throw new InvalidArgumentError(`${what} of an empty batch is undefined.`);
  return n;
}
