import { InvalidArgumentError } from "@isotropy/core";
import { Matrix } from "../matrix.js";
import { checkBlock, checkVector, OperatorBase } from "./base.js";

/** The n x n identity, stored as nothing. */
export class IdentityOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;

  constructor(n: number) {
    super();
    if (!Number.isInteger(n) || n < 0) {
      throw new InvalidArgumentError(`identity(n) needs a non-negative integer, got ${n}.`);
    }
    this.rows = n;
    this.cols = n;
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("identity matvec", x, this.cols);
    return x.slice();
  }

  rmatvec(x: Float64Array): Float64Array {
    return this.matvec(x);
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("identity matmat", x, this.cols);
    return x.clone();
  }

  override rmatmat(x: Matrix): Matrix {
    return this.matmat(x);
  }

  override transpose(): IdentityOperator {
    return this;
  }

  override toDense(): Matrix {
    return Matrix.identity(this.rows);
  }
}

export function identity(n: number): IdentityOperator {
  return new IdentityOperator(n);
}
