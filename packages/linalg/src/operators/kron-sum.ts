import { ShapeError } from "@isotropy/core";
import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { checkBlock, checkVector, OperatorBase } from "./base.js";
import { asOperator } from "./dense.js";
import { ModeFactor } from "./mode-factor.js";

/**
 * The Kronecker sum A ⊕ B ⊕ ... = A⊗I⊗I + I⊗B⊗I + ... of square factors: the Lie algebra action
 * on a tensor product. Each term is one mode product, accumulated into the same output.
 */
export class KronSumOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly factors: readonly ModeFactor[];

  constructor(ops: readonly LinearOperator[]) {
    super();
    ops.forEach((op, i) => {
      if (op.rows !== op.cols) {
        throw new ShapeError(`kronSum factor ${i}`, "a square operator", `${op.rows} x ${op.cols}`);
      }
    });
    this.factors = ops.map((op) => new ModeFactor(op));
    this.rows = this.factors.reduce((s, f) => s * f.rows, 1);
    this.cols = this.rows;
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("kronSum matvec", x, this.cols);
    return this.apply(x, 1, false);
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("kronSum rmatvec", x, this.rows);
    return this.apply(x, 1, true);
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("kronSum matmat", x, this.cols);
    return new Matrix(this.rows, x.cols, this.apply(x.data, x.cols, false));
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("kronSum rmatmat", x, this.rows);
    return new Matrix(this.cols, x.cols, this.apply(x.data, x.cols, true));
  }

  private apply(x: Float64Array, block: number, transpose: boolean): Float64Array {
    const out = new Float64Array(x.length);
    let left = 1;
    let right = this.rows * block;
    for (const f of this.factors) {
      right /= f.rows;
      f.applyAdd(x, left, right, out, transpose);
      left *= f.rows;
    }
    return out;
  }
}

/** The lazy Kronecker sum of square matrices or operators. */
export function kronSum(...ops: (Matrix | LinearOperator)[]): KronSumOperator {
  return new KronSumOperator(ops.map(asOperator));
}
