import { ConvergenceError, InvalidArgumentError, LimitExceededError, Rng } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  dense,
  identity,
  kron,
  type LinearOperator,
  linearCombination,
  Matrix,
  nullSpace,
  nullSpaceIterative,
  shift,
  vstack,
} from "../src/index.js";
import { orthogonalityError, so3TensorConstraint, withSingularValues } from "./helpers.js";

/** max_j ||C x_j|| / ||C||_2, with ||C||_2 from the dense matrix. */
function relativeResidual(c: LinearOperator, x: Matrix): number {
  const cx = c.matmat(x);
  let worst = 0;
  for (let j = 0; j < x.cols; j++) {
    let s = 0;
    for (let i = 0; i < cx.rows; i++) s += cx.get(i, j) ** 2;
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst / c.toDense().frobeniusNorm();
}

/** The distance between the spans of two orthonormal bases: ||X X^T Y - Y||_F. */
function spanDistance(x: Matrix, y: Matrix): number {
  return x.mul(x.transpose().mul(y)).sub(y).frobeniusNorm();
}

function expectSameNullSpace(c: LinearOperator, x: Matrix, dim: number): void {
  expect(x.cols).toBe(dim);
  expect(orthogonalityError(x)).toBeLessThan(1e-12);
  expect(relativeResidual(c, x)).toBeLessThan(1e-10);
  const d = nullSpace(c);
  expect(d.cols).toBe(dim);
  expect(spanDistance(d, x)).toBeLessThan(1e-9);
  expect(spanDistance(x, d)).toBeLessThan(1e-9);
}

describe("nullSpaceIterative", () => {
  it("finds the so(3) invariants of V^⊗4 (dimension 3) and V^⊗5 (dimension 6), as dense does", () => {
    expectSameNullSpace(so3TensorConstraint(4), nullSpaceIterative(so3TensorConstraint(4)), 3);
    expectSameNullSpace(so3TensorConstraint(5), nullSpaceIterative(so3TensorConstraint(5)), 6);
  });

  it("grows the block by doubling while it lies in the null space (V^⊗6, dimension 15)", () => {
    const c = so3TensorConstraint(6);
    const x = nullSpaceIterative(c, { initialBlock: 2, rng: new Rng(7) });
    expect(x.cols).toBe(15);
    expect(orthogonalityError(x)).toBeLessThan(1e-12);
    expect(relativeResidual(c, x)).toBeLessThan(1e-10);
  });

  it("uses Chebyshev filtering when the spectrum is not a few eigenvalues", () => {
    // 120 x 100 with singular values spread over [0.5, 2] and a planted 7-dimensional null space.
    const s = Array.from({ length: 93 }, (_, i) => 0.5 + (1.5 * i) / 92);
    const a = withSingularValues(120, 100, s, 31);
    const c = dense(a);
    expectSameNullSpace(c, nullSpaceIterative(c, { initialBlock: 4 }), 7);
  });

  it("solves a discrete-group constraint: C_7 invariants of R^7 ⊗ R^7 (circulants)", () => {
    const p = shift(7, 1);
    const c = vstack(
      linearCombination([
        [1, kron(p, p)],
        [-1, identity(49)],
      ]),
    );
    expectSameNullSpace(c, nullSpaceIterative(c), 7);
  });

  it("returns an empty basis for an injective operator and everything for zero", () => {
    const a = withSingularValues(
      30,
      20,
      Array.from({ length: 20 }, (_, i) => 1 + i),
      3,
    );
    expect(nullSpaceIterative(dense(a)).cols).toBe(0);
    expect(nullSpaceIterative(dense(Matrix.zeros(4, 5))).cols).toBe(5);
    expect(nullSpaceIterative(dense(Matrix.zeros(2, 0))).cols).toBe(0);
  });

  it("refuses to guess without a gap, and honours maxDim", () => {
    // Relative singular values 2.5e-9 (zero under tol 1e-8) and 2e-8 (nonzero) are too close.
    const s = [2, 1.5, 1, 0.7, 4e-8, 5e-9];
    const c = dense(withSingularValues(12, 8, s, 5));
    expect(() => nullSpaceIterative(c, { maxIterations: 10 })).toThrow(ConvergenceError);
    expect(() => nullSpaceIterative(so3TensorConstraint(4), { gapRatio: 1e16 })).toThrow(
      /no clear gap/,
    );
    expect(() => nullSpaceIterative(so3TensorConstraint(5), { maxDim: 4 })).toThrow(
      LimitExceededError,
    );
    expect(() => nullSpaceIterative(so3TensorConstraint(3), { tol: 2 })).toThrow(
      InvalidArgumentError,
    );
  });

  it("is reproducible for a given rng seed", () => {
    const c = so3TensorConstraint(4);
    const x = nullSpaceIterative(c, { rng: new Rng(3) });
    const y = nullSpaceIterative(c, { rng: new Rng(3) });
    expect(x.maxAbsDiff(y)).toBe(0);
  });
});
