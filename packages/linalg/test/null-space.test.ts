import { ConvergenceError, InvalidArgumentError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  identity,
  kron,
  linearCombination,
  Matrix,
  nullSpace,
  permutationOp,
  vstack,
} from "../src/index.js";
import {
  orthogonalityError,
  randomMatrix,
  so3TensorConstraint,
  withSingularValues,
} from "./helpers.js";

function residual(a: Matrix, x: Matrix): number {
  return a.mul(x).frobeniusNorm() / Math.max(a.frobeniusNorm(), 1e-300);
}

describe("nullSpace (dense)", () => {
  it("finds the null space of a random rank-deficient matrix", () => {
    const a = randomMatrix(12, 4, 1).mul(randomMatrix(4, 10, 2)); // rank 4, nullity 6
    const x = nullSpace(a);
    expect([x.rows, x.cols]).toEqual([10, 6]);
    expect(orthogonalityError(x)).toBeLessThan(1e-14);
    expect(residual(a, x)).toBeLessThan(1e-14);
  });

  it("works for wide, full-rank, zero and empty matrices", () => {
    const wide = randomMatrix(3, 8, 3);
    const x = nullSpace(wide);
    expect(x.cols).toBe(5);
    expect(residual(wide, x)).toBeLessThan(1e-14);
    expect(nullSpace(randomMatrix(8, 5, 4)).cols).toBe(0);
    expect(nullSpace(Matrix.zeros(4, 3)).cols).toBe(3);
    expect(nullSpace(Matrix.zeros(0, 3)).cols).toBe(3);
    expect(nullSpace(Matrix.zeros(2, 0)).cols).toBe(0);
  });

  it("keeps singular values far above rtol and drops those far below", () => {
    const s = [1, 0.3, 1e-4, 1e-13, 0];
    const a = withSingularValues(9, 5, s, 5);
    expect(nullSpace(a).cols).toBe(2); // 1e-13 is zero: gap 1e-4 / 1e-13 is clear
    expect(nullSpace(a, { rtol: 1e-3 }).cols).toBe(3);
  });

  it("refuses to guess when there is no gap at the threshold", () => {
    // Singular values spread evenly over the threshold 1e-8.
    const a = withSingularValues(8, 6, [1, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10], 6);
    expect(() => nullSpace(a)).toThrow(ConvergenceError);
    expect(() => nullSpace(a)).toThrow(/no clear gap/);
    // A lower gap requirement or a threshold inside a real gap decides.
    expect(nullSpace(a, { rtol: 3e-7, gapRatio: 2 }).cols).toBe(4);
    expect(() => nullSpace(a, { rtol: 0 })).toThrow(InvalidArgumentError);
  });

  it("accepts lazy operators: equivariant maps of the cyclic group C_4 on R^4", () => {
    // W P = P W for the cyclic shift P: vec(W) row-major, (P ⊗ I - I ⊗ P^T) vec(W) = 0.
    const p = permutationOp([3, 0, 1, 2]);
    const c = linearCombination([
      [1, kron(p, identity(4))],
      [-1, kron(identity(4), p.transpose())],
    ]);
    const x = nullSpace(c); // circulant matrices: dimension 4
    expect(x.cols).toBe(4);
    expect(residual(c.toDense(), x)).toBeLessThan(1e-14);
  });

  it("finds the so(3) invariants of V⊗V⊗V⊗V (dimension 3) and V^⊗5 (dimension 6)", () => {
    for (const [k, dim] of [
      [2, 1],
      [3, 1],
      [4, 3],
      [5, 6],
    ] as const) {
      const c = so3TensorConstraint(k);
      const x = nullSpace(c);
      expect(x.cols).toBe(dim);
      expect(orthogonalityError(x)).toBeLessThan(1e-13);
      expect(residual(c.toDense(), x)).toBeLessThan(1e-14);
    }
    // The invariant of V⊗V is the identity matrix (δ_ij), up to sign.
    const x = nullSpace(vstack(so3TensorConstraint(2)));
    const delta = Matrix.identity(3).scale(1 / Math.sqrt(3));
    const v = new Matrix(3, 3, x.column(0));
    expect(Math.min(v.maxAbsDiff(delta), v.maxAbsDiff(delta.scale(-1)))).toBeLessThan(1e-14);
  });
});
