import type { Matrix } from "./matrix.js";

/**
 * A linear map R^cols -> R^rows known by its action: the lazy operators (Kronecker products and
 * sums, permutations, block diagonals, ...) never form their matrix unless asked.
 */
export interface LinearOperator {
  readonly rows: number;
  readonly cols: number;
  /** y = A x, x of length cols. */
  matvec(x: Float64Array): Float64Array;
  /** y = A^T x, x of length rows. */
  rmatvec(x: Float64Array): Float64Array;
  /** A X for X of shape cols x k. */
  matmat(x: Matrix): Matrix;
  /** The transpose, lazily. */
  transpose(): LinearOperator;
  /** The dense matrix (rows x cols). */
  toDense(): Matrix;
}
