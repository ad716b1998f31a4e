import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { checkBlock, checkVector, OperatorBase, rmatmatOf } from "./base.js";
import { asOperator } from "./dense.js";

/** c_1 A_1 + c_2 A_2 + ... for operators of one shape (e.g. rho(h) - I). */
export class LinearCombinationOperator extends OperatorBase {
  readonly rows: number;
  readonly cols: number;
  readonly terms: readonly (readonly [number, LinearOperator])[];

  constructor(terms: readonly (readonly [number, LinearOperator])[]) {
    super();
    if (terms.length === 0) {
      throw new InvalidArgumentError("linearCombination needs at least one term.");
    }
    const [, first] = terms[0]!;
    terms.forEach(([c, op], i) => {
      if (!Number.isFinite(c)) {
        throw new InvalidArgumentError(`linearCombination: coefficient ${i} is ${c}.`);
      }
      if (op.rows !== first.rows || op.cols !== first.cols) {
        throw new ShapeError(
          `linearCombination term ${i}`,
          `${first.rows} x ${first.cols}`,
          `${op.rows} x ${op.cols}`,
        );
      }
    });
    this.terms = terms;
    this.rows = first.rows;
    this.cols = first.cols;
  }

  matvec(x: Float64Array): Float64Array {
    checkVector("linearCombination matvec", x, this.cols);
    return this.sum(this.rows, (op) => op.matvec(x));
  }

  rmatvec(x: Float64Array): Float64Array {
    checkVector("linearCombination rmatvec", x, this.rows);
    return this.sum(this.cols, (op) => op.rmatvec(x));
  }

  override matmat(x: Matrix): Matrix {
    checkBlock("linearCombination matmat", x, this.cols);
    return new Matrix(
      this.rows,
      x.cols,
      this.sum(this.rows * x.cols, (op) => op.matmat(x).data),
    );
  }

  override rmatmat(x: Matrix): Matrix {
    checkBlock("linearCombination rmatmat", x, this.rows);
    const data = this.sum(this.cols * x.cols, (op) => rmatmatOf(op, x).data);
    return new Matrix(this.cols, x.cols, data);
  }

  private sum(n: number, f: (op: LinearOperator) => Float64Array): Float64Array {
    const y = new Float64Array(n);
    for (const [c, op] of this.terms) {
      if (c === 0) continue;
      const z = f(op);
      for (let i = 0; i < n; i++) y[i]! += c * z[i]!;
    }
    return y;
  }
}

/** The lazy sum of scaled operators: linearCombination([[1, rho], [-1, identity(n)]]). */
export function linearCombination(
  terms: readonly (readonly [number, Matrix | LinearOperator])[],
): LinearCombinationOperator {
  return new LinearCombinationOperator(terms.map(([c, op]) => [c, asOperator(op)] as const));
}
