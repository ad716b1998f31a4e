import { InvalidArgumentError } from "@isotropy/core";
import { Matrix } from "../matrix.js";
import { checkBlock, checkVector, OperatorBase } from "./base.js";

/** The permutation P with (P x)_i = x[perm[i]], the convention of Matrix.permutation. */
export class PermutationOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly perm: Int32Array;

  constructor(perm: ArrayLike<number>) {
    super();
    const n = perm.length;
    const seen = new Uint8Array(n);
    this.perm = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const p = perm[i]!;
      if (!Number.isInteger(p) || p < 0 || p >= n || seen[p]) {
        throw new InvalidArgumentError(
          `permutationOp: [${Array.from(perm).join(", ")}] is not a permutation of 0..${n - 1}.`,
        );
      }
      seen[p] = 1;
      this.perm[i] = p;
    }
    this.rows = n;
    this.cols = n;
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("permutation matvec", x, this.cols);
    const y = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) y[i] = x[this.perm[i]!]!;
    return y;
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("permutation rmatvec", x, this.rows);
    const y = new Float64Array(this.cols);
    for (let i = 0; i < this.rows; i++) y[this.perm[i]!] = x[i]!;
    return y;
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("permutation matmat", x, this.cols);
    const k = x.cols;
    const out = new Matrix(this.rows, k);
    for (let i = 0; i < this.rows; i++) {
      const src = this.perm[i]! * k;
      out.data.set(x.data.subarray(src, src + k), i * k);
    }
    return out;
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("permutation rmatmat", x, this.rows);
    const k = x.cols;
    const out = new Matrix(this.cols, k);
    for (let i = 0; i < this.rows; i++) {
      out.data.set(x.data.subarray(i * k, i * k + k), this.perm[i]! * k);
    }
    return out;
  }

  override toDense(): Matrix {
    return Matrix.permutation(this.perm);
  }
}

export function permutationOp(perm: ArrayLike<number>): PermutationOperator {
  return new PermutationOperator(perm);
}

/** The cyclic shift by k places: (S x)_i = x[(i - k) mod n], so S e_0 = e_k (numpy's roll). */
export function shift(n: number, k: number): PermutationOperator {
  if (!Number.isInteger(n) || n < 0 || !Number.isInteger(k)) {
    throw new InvalidArgumentError(`shift(n, k) needs integers n >= 0 and k, got ${n}, ${k}.`);
  }
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = (((i - k) % n) + n) % n;
  return new PermutationOperator(p);
}
