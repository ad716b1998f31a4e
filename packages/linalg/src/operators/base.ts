import { ShapeError } from "@isotropy/core";
import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";

/**
 * Shared plumbing of the lazy operators: subclasses give matvec and rmatvec (and usually faster
 * block versions); products with several vectors, the transpose and the dense form follow.
 */
export abstract class OperatorBase implements LinearOperator {
  abstract readonly rows: number;
  abstract readonly cols: number;
  abstract matvec(x: Float64Array): Float64Array;
  abstract rmatvec(x: Float64Array): Float64Array;

  /** A X for X of shape cols x k, column by column unless a subclass knows better. */
  matmat(x: Matrix): Matrix {
    checkBlock("matmat", x, this.cols);
    return byColumns(x, this.rows, (v) => this.matvec(v));
  }

  /** A^T X for X of shape rows x k. */
  rmatmat(x: Matrix): Matrix {
    checkBlock("rmatmat", x, this.rows);
    return byColumns(x, this.cols, (v) => this.rmatvec(v));
  }

  transpose(): LinearOperator {
    return new TransposedOperator(this);
  }

  toDense(): Matrix {
    return this.matmat(Matrix.identity(this.cols));
  }
}

/** The transpose of an operator, sharing its storage. */
class TransposedOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;

  constructor(private readonly inner: OperatorBase) {
    super();
    this.rows = inner.cols;
    this.cols = inner.rows;
  }

  matvec(x: Float64Array): Float64Array {
    return this.inner.rmatvec(x);
  }

  rmatvec(x: Float64Array): Float64Array {
    return this.inner.matvec(x);
  }

  override matmat(x: Matrix): Matrix {
    return this.inner.rmatmat(x);
  }

  override rmatmat(x: Matrix): Matrix {
    return this.inner.matmat(x);
  }

  override transpose(): LinearOperator {
    return this.inner;
  }

  override toDense(): Matrix {
    return this.inner.toDense().transpose();
  }
}

/** A^T X for any operator: the fast block path where the operator has one. */
export function rmatmatOf(op: LinearOperator, x: Matrix): Matrix {
  return op instanceof OperatorBase ? op.rmatmat(x) : op.transpose().matmat(x);
}

export function checkVector(what: string, x: ArrayLike<number>, n: number): void {
  if (x.length !== n) throw new ShapeError(what, `a vector of length ${n}`, `length ${x.length}`);
}

export function checkBlock(what: string, x: Matrix, rows: number): void {
  if (x.rows !== rows) throw new ShapeError(what, `${rows} x k`, `${x.rows} x ${x.cols}`);
}

function byColumns(x: Matrix, outRows: number, f: (v: Float64Array) => Float64Array): Matrix {
  const k = x.cols;
  const out = new Matrix(outRows, k);
  for (let j = 0; j < k; j++) {
    const y = f(x.column(j));
    for (let i = 0; i < outRows; i++) out.data[i * k + j] = y[i]!;
  }
  return out;
}
