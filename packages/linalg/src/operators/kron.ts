import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { checkBlock, checkVector, OperatorBase } from "./base.js";
import { asOperator } from "./dense.js";
import { ModeFactor } from "./mode-factor.js";

/**
 * The Kronecker product F_1 ⊗ F_2 ⊗ ... ⊗ F_k (first factor most significant), applied one
 * factor at a time along the tensor modes: cost sum_j (size of the tensor) * (nnz per row of
 * F_j) instead of the product's rows * cols.
 */
export class KronOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly factors: readonly ModeFactor[];

  constructor(ops: readonly LinearOperator[]) {
    super();
    this.factors = ops.map((op) => new ModeFactor(op));
    this.rows = this.factors.reduce((s, f) => s * f.rows, 1);
    this.cols = this.factors.reduce((s, f) => s * f.cols, 1);
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("kron matvec", x, this.cols);
    return this.apply(x, 1, false);
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("kron rmatvec", x, this.rows);
    return this.apply(x, 1, true);
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("kron matmat", x, this.cols);
    return new Matrix(this.rows, x.cols, this.apply(x.data, x.cols, false));
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("kron rmatmat", x, this.rows);
    return new Matrix(this.cols, x.cols, this.apply(x.data, x.cols, true));
  }

  override toDense(): Matrix {
    let out = Matrix.identity(1);
    for (const f of this.factors) out = out.kron(f.op.toDense());
    return out;
  }

  /** The trailing `block` of each index is the vector number of a row-major block. */
  private apply(x: Float64Array, block: number, transpose: boolean): Float64Array {
    const fs = this.factors;
    // Shape of the current tensor: already-applied modes have their output size.
    const shape = fs.map((f) => f.inSize(transpose));
    let cur = x;
    for (let j = 0; j < fs.length; j++) {
      const f = fs[j]!;
      if (f.isIdentity) continue;
      let left = 1;
      for (let i = 0; i < j; i++) left *= shape[i]!;
      let right = block;
      for (let i = j + 1; i < fs.length; i++) right *= shape[i]!;
      const out = new Float64Array(left * f.outSize(transpose) * right);
      f.applyAdd(cur, left, right, out, transpose);
      shape[j] = f.outSize(transpose);
      cur = out;
    }
    return cur === x ? x.slice() : cur;
  }
}

/** The lazy Kronecker product of matrices or operators; kron() is the 1 x 1 identity. */
export function kron(...ops: (Matrix | LinearOperator)[]): KronOperator {
  return new KronOperator(ops.map(asOperator));
}
