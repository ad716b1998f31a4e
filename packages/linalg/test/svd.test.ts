import { describe, expect, it } from "vitest";
import { Matrix, svd } from "../src/index.js";
import { orthogonalityError, randomMatrix, withSingularValues } from "./helpers.js";

function reconstruct(u: Matrix, s: Float64Array, v: Matrix): Matrix {
  return u.mul(Matrix.diag(s)).mul(v.transpose());
}

describe("svd", () => {
  for (const [m, n] of [
    [9, 5],
    [5, 9],
    [12, 12],
    [40, 3],
    [1, 4],
  ] as const) {
    it(`decomposes a random ${m} x ${n} matrix`, () => {
      const a = randomMatrix(m, n, m * 7 + n);
      const { u, s, v } = svd(a);
      const p = Math.min(m, n);
      expect([u.rows, u.cols, s.length, v.rows, v.cols]).toEqual([m, p, p, n, p]);
      expect(reconstruct(u, s, v).maxAbsDiff(a)).toBeLessThan(1e-13);
      expect(orthogonalityError(u)).toBeLessThan(1e-14);
      expect(orthogonalityError(v)).toBeLessThan(1e-14);
      for (let i = 1; i < p; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]!);
    });
  }

  it("resolves singular values across 12 orders of magnitude to high relative accuracy", () => {
    const want = [1, 1e-3, 1e-6, 1e-9, 1e-12];
    const a = withSingularValues(8, 5, want, 9);
    const { s } = svd(a);
    want.forEach((w, i) => {
      expect(Math.abs(s[i]! - w)).toBeLessThan(1e-15 + 1e-4 * w);
    });
  });

  it("completes u to orthonormal columns for a rank-deficient matrix", () => {
    const a = withSingularValues(7, 6, [2, 1], 10); // rank 2
    const { u, s, v } = svd(a);
    expect(orthogonalityError(u)).toBeLessThan(1e-14);
    expect(s[2]!).toBeLessThan(1e-15);
    expect(reconstruct(u, s, v).maxAbsDiff(a)).toBeLessThan(1e-14);
    const z = svd(Matrix.zeros(3, 2));
    expect(Array.from(z.s)).toEqual([0, 0]);
    expect(orthogonalityError(z.u)).toBeLessThan(1e-15);
  });
});
