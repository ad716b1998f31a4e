import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { checkBlock, checkVector, OperatorBase, rmatmatOf } from "./base.js";
import { asOperator } from "./dense.js";
import { rowSlice } from "./stack.js";

/** diag(A, B, ...): each operator acts on its own slice of the vector. */
export class BlockDiagOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly ops: readonly LinearOperator[];

  constructor(ops: readonly LinearOperator[]) {
    super();
    this.ops = ops;
    this.rows = ops.reduce((s, op) => s + op.rows, 0);
    this.cols = ops.reduce((s, op) => s + op.cols, 0);
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("blockDiag matvec", x, this.cols);
    const y = new Float64Array(this.rows);
    let r = 0;
    let c = 0;
    for (const op of this.ops) {
      y.set(op.matvec(x.subarray(c, c + op.cols)), r);
      r += op.rows;
      c += op.cols;
    }
    return y;
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("blockDiag rmatvec", x, this.rows);
    const y = new Float64Array(this.cols);
    let r = 0;
    let c = 0;
    for (const op of this.ops) {
      y.set(op.rmatvec(x.subarray(r, r + op.rows)), c);
      r += op.rows;
      c += op.cols;
    }
    return y;
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("blockDiag matmat", x, this.cols);
    const out = new Matrix(this.rows, x.cols);
    let r = 0;
    let c = 0;
    for (const op of this.ops) {
      out.data.set(op.matmat(rowSlice(x, c, op.cols)).data, r * x.cols);
      r += op.rows;
      c += op.cols;
    }
    return out;
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("blockDiag rmatmat", x, this.rows);
    const out = new Matrix(this.cols, x.cols);
    let r = 0;
    let c = 0;
    for (const op of this.ops) {
      out.data.set(rmatmatOf(op, rowSlice(x, r, op.rows)).data, c * x.cols);
      r += op.rows;
      c += op.cols;
    }
    return out;
  }

  /** Each block's dense form on the diagonal (not the base class's product with the identity). */
  override toDense(): Matrix {
    const out = new Matrix(this.rows, this.cols);
    let r = 0;
    let c = 0;
    for (const op of this.ops) {
      const b = op.toDense().data;
      for (let i = 0; i < op.rows; i++) {
        out.data.set(b.subarray(i * op.cols, (i + 1) * op.cols), (r + i) * this.cols + c);
      }
      r += op.rows;
      c += op.cols;
    }
    return out;
  }
}

/** The lazy block-diagonal operator; blockDiag() is 0 x 0. */
export function blockDiag(...ops: (Matrix | LinearOperator)[]): BlockDiagOperator {
  return new BlockDiagOperator(ops.map(asOperator));
}
