import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { checkBlock, checkVector, OperatorBase } from "./base.js";

/** A dense matrix seen as an operator. */
export class DenseOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;

  constructor(readonly matrix: Matrix) {
    super();
    this.rows = matrix.rows;
    this.cols = matrix.cols;
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("dense operator matvec", x, this.cols);
    return this.matrix.matvec(x);
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("dense operator rmatvec", x, this.rows);
    return transposeTimes(this.matrix, x, 1);
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("dense operator matmat", x, this.cols);
    return this.matrix.mul(x);
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("dense operator rmatmat", x, this.rows);
    return new Matrix(this.cols, x.cols, transposeTimes(this.matrix, x.data, x.cols));
  }

  override toDense(): Matrix {
    return this.matrix.clone();
  }
}

/** a^T X for row-major X with k columns, row by row so memory is read in order. */
function transposeTimes(a: Matrix, x: Float64Array, k: number): Float64Array {
  const { rows, cols, data } = a;
  const out = new Float64Array(cols * k);
  for (let i = 0; i < rows; i++) {
    const xi = i * k;
    for (let j = 0; j < cols; j++) {
      const aij = data[i * cols + j]!;
      if (aij === 0) continue;
      const oj = j * k;
      for (let c = 0; c < k; c++) out[oj + c]! += aij * x[xi + c]!;
    }
  }
  return out;
}

/** The operator of a dense matrix. */
export function dense(m: Matrix): DenseOperator {
  return new DenseOperator(m);
}

/** Matrices become dense operators; operators pass through. */
export function asOperator(a: Matrix | LinearOperator): LinearOperator {
  return a instanceof Matrix ? new DenseOperator(a) : a;
}
