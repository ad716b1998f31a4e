import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { checkBlock, checkVector, OperatorBase, rmatmatOf } from "./base.js";
import { asOperator } from "./dense.js";

/** [A; B; ...]: operators with equal column counts stacked vertically (stacked constraints). */
export class VStackOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly ops: readonly LinearOperator[];

  constructor(ops: readonly LinearOperator[]) {
    super();
    if (ops.length === 0) throw new InvalidArgumentError("vstack needs at least one operator.");
    const cols = ops[0]!.cols;
    ops.forEach((op, i) => {
      if (op.cols !== cols) {
        throw new ShapeError(`vstack operand ${i}`, `${cols} columns`, `${op.rows} x ${op.cols}`);
      }
    });
    this.ops = ops;
    this.cols = cols;
    this.rows = ops.reduce((s, op) => s + op.rows, 0);
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("vstack matvec", x, this.cols);
    const y = new Float64Array(this.rows);
    let at = 0;
    for (const op of this.ops) {
      y.set(op.matvec(x), at);
      at += op.rows;
    }
    return y;
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("vstack rmatvec", x, this.rows);
    const y = new Float64Array(this.cols);
    let at = 0;
    for (const op of this.ops) {
      addInto(y, op.rmatvec(x.subarray(at, at + op.rows)));
      at += op.rows;
    }
    return y;
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("vstack matmat", x, this.cols);
    const out = new Matrix(this.rows, x.cols);
    let at = 0;
    for (const op of this.ops) {
      out.data.set(op.matmat(x).data, at * x.cols);
      at += op.rows;
    }
    return out;
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("vstack rmatmat", x, this.rows);
    const out = new Matrix(this.cols, x.cols);
    let at = 0;
    for (const op of this.ops) {
      addInto(out.data, rmatmatOf(op, rowSlice(x, at, op.rows)).data);
      at += op.rows;
    }
    return out;
  }
}

/** [A, B, ...]: operators with equal row counts side by side. */
export class HStackOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly ops: readonly LinearOperator[];

  constructor(ops: readonly LinearOperator[]) {
    super();
    if (ops.length === 0) throw new InvalidArgumentError("hstack needs at least one operator.");
    const rows = ops[0]!.rows;
    ops.forEach((op, i) => {
      if (op.rows !== rows) {
        throw new ShapeError(`hstack operand ${i}`, `${rows} rows`, `${op.rows} x ${op.cols}`);
      }
    });
    this.ops = ops;
    this.rows = rows;
    this.cols = ops.reduce((s, op) => s + op.cols, 0);
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("hstack matvec", x, this.cols);
    const y = new Float64Array(this.rows);
    let at = 0;
    for (const op of this.ops) {
      addInto(y, op.matvec(x.subarray(at, at + op.cols)));
      at += op.cols;
    }
    return y;
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("hstack rmatvec", x, this.rows);
    const y = new Float64Array(this.cols);
    let at = 0;
    for (const op of this.ops) {
      y.set(op.rmatvec(x), at);
      at += op.cols;
    }
    return y;
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("hstack matmat", x, this.cols);
    const out = new Matrix(this.rows, x.cols);
    let at = 0;
    for (const op of this.ops) {
      addInto(out.data, op.matmat(rowSlice(x, at, op.cols)).data);
      at += op.cols;
    }
    return out;
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("hstack rmatmat", x, this.rows);
    const out = new Matrix(this.cols, x.cols);
    let at = 0;
    for (const op of this.ops) {
      out.data.set(rmatmatOf(op, x).data, at * x.cols);
      at += op.cols;
    }
    return out;
  }
}

export function vstack(...ops: (Matrix | LinearOperator)[]): VStackOperator {
  return new VStackOperator(ops.map(asOperator));
}

export function hstack(...ops: (Matrix | LinearOperator)[]): HStackOperator {
  return new HStackOperator(ops.map(asOperator));
}

/** Rows [at, at + count) of a row-major block, sharing its storage. */
export function rowSlice(x: Matrix, at: number, count: number): Matrix {
  return new Matrix(count, x.cols, x.data.subarray(at * x.cols, (at + count) * x.cols));
}

export function addInto(y: Float64Array, z: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i]! += z[i]!;
}
