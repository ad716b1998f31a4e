import { InvalidArgumentError, ShapeError } from "@isotropy/core";

/** A row-major batch of numbers. */
export type Batch = ArrayLike<number>;

/**
 * Throws `ShapeError` unless `x` holds exactly `n` rows of `dim` numbers (n x dim, row-major).
 * `what` names the array in the message, e.g. "inputs of inertia".
 */
export function checkShape(x: Batch, n: number, dim: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new InvalidArgumentError(
      `${what}: the number of samples must be an integer >= 0, got ${n}.`,
    );
  }
  if (x.length !== n * dim) {
    const rows = x.length % dim === 0 ? ` (${x.length / dim} x ${dim})` : "";
    throw new ShapeError(what, `[${n}, ${dim}] (${n * dim} numbers)`, `${x.length} numbers${rows}`);
  }
}

/**
 * The number of rows of a row-major batch of `dim` columns; throws `ShapeError` when the length
 * is not a multiple of `dim`.
 */
export function batchRows(x: Batch, dim: number, what: string): number {
  if (x.length % dim !== 0) {
    throw new ShapeError(what, `[n, ${dim}] (a multiple of ${dim} numbers)`, `${x.length} numbers`);
  }
  return x.length / dim;
}

/**
 * Throws `InvalidArgumentError` naming the first non-finite entry (NaN or +-Infinity) of `x`.
 * With `dim`, the message also gives its sample and coordinate.
 */
export function checkFinite(x: Batch, what: string, dim?: number): void {
  for (let i = 0; i < x.length; i++) {
    const v = x[i] as number;
    if (!Number.isFinite(v)) {
      const where =
        dim !== undefined && dim > 0
          ? ` (sample ${Math.floor(i / dim)}, coordinate ${i % dim})`
          : "";
      throw new InvalidArgumentError(
        `${what} must be finite, but entry ${i}${where} is ${v}. Remove or repair that sample.`,
      );
    }
  }
}

/** `checkShape` then `checkFinite`: the boundary check of a batch. */
export function checkBatch(x: Batch, n: number, dim: number, what: string): void {
  checkShape(x, n, dim, what);
  checkFinite(x, what, dim);
}
