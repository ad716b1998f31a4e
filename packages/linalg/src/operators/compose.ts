import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import type { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { checkBlock, checkVector, OperatorBase, rmatmatOf } from "./base.js";
import { asOperator } from "./dense.js";

/** The product A_1 A_2 ... A_k, applied right to left. */
export class ComposedOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly ops: readonly LinearOperator[];

  constructor(ops: readonly LinearOperator[]) {
    super();
    if (ops.length === 0) throw new InvalidArgumentError("compose needs at least one operator.");
    for (let i = 1; i < ops.length; i++) {
      const a = ops[i - 1]!;
      const b = ops[i]!;
      if (a.cols !== b.rows) {
        throw new ShapeError(
          `compose operand ${i}`,
          `${a.cols} x *`,
          `${b.rows} x ${b.cols} after ${a.rows} x ${a.cols}`,
        );
      }
    }
    this.ops = ops;
    this.rows = ops[0]!.rows;
    this.cols = ops[ops.length - 1]!.cols;
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("compose matvec", x, this.cols);
    let y = x;
    for (let i = this.ops.length - 1; i >= 0; i--) y = this.ops[i]!.matvec(y);
    return y === x ? x.slice() : y;
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("compose rmatvec", x, this.rows);
    let y = x;
    for (const op of this.ops) y = op.rmatvec(y);
    return y === x ? x.slice() : y;
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("compose matmat", x, this.cols);
    let y = x;
    for (let i = this.ops.length - 1; i >= 0; i--) y = this.ops[i]!.matmat(y);
    return y;
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("compose rmatmat", x, this.rows);
    let y = x;
    for (const op of this.ops) y = rmatmatOf(op, y);
    return y;
  }
}

/** compose(a, b) is the lazy product a · b (b applied first); more factors chain the same way. */
export function compose(
  a: Matrix | LinearOperator,
  ...rest: (Matrix | LinearOperator)[]
): ComposedOperator {
  return new ComposedOperator([a, ...rest].map(asOperator));
}
