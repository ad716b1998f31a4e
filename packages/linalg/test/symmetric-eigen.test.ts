import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { Matrix, symmetricEigen } from "../src/index.js";
import { orthogonalityError, randomSymmetric, withSingularValues } from "./helpers.js";

function eigenResidual(a: Matrix, values: Float64Array, vectors: Matrix): number {
  return (
    a
      .mul(vectors)
      .sub(vectors.mul(Matrix.diag(values)))
      .frobeniusNorm() / a.frobeniusNorm()
  );
}

describe("symmetricEigen", () => {
  for (const n of [1, 2, 3, 7, 40, 150]) {
    it(`solves a random symmetric ${n} x ${n} problem`, () => {
      const a = randomSymmetric(n, n + 100);
      const { values, vectors } = symmetricEigen(a);
      expect(eigenResidual(a, values, vectors)).toBeLessThan(1e-14 * Math.max(1, Math.sqrt(n)));
      expect(orthogonalityError(vectors)).toBeLessThan(1e-14 * Math.max(1, Math.sqrt(n)));
      for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
      let trace = 0;
      for (let i = 0; i < n; i++) trace += a.get(i, i);
      expect(values.reduce((s, v) => s + v, 0)).toBeCloseTo(trace, 10);
    });
  }

  it("finds known eigenvalues, including a highly repeated zero", () => {
    // A^T A for A with 5 singular values: eigenvalues 0 (x 25) and s_i^2.
    const s = [3, 2, 1, 0.5, 0.25];
    const a = withSingularValues(30, 30, s, 4);
    const g = a.transpose().mul(a);
    const { values, vectors } = symmetricEigen(g);
    for (let i = 0; i < 25; i++) expect(Math.abs(values[i]!)).toBeLessThan(1e-14);
    const top = Array.from(values.slice(25)).reverse();
    top.forEach((v, i) => {
      expect(v).toBeCloseTo(s[i]! ** 2, 13);
    });
    expect(eigenResidual(g, values, vectors)).toBeLessThan(1e-14);
  });

  it("handles diagonal, zero and tridiagonal (1D Laplacian) matrices", () => {
    const d = symmetricEigen(Matrix.diag([3, -1, 2]));
    expect(Array.from(d.values)).toEqual([-1, 2, 3]);
    expect(Array.from(symmetricEigen(Matrix.zeros(4, 4)).values)).toEqual([0, 0, 0, 0]);
    const n = 50;
    const lap = Matrix.zeros(n, n);
    for (let i = 0; i < n; i++) {
      lap.set(i, i, 2);
      if (i + 1 < n) {
        lap.set(i, i + 1, -1);
        lap.set(i + 1, i, -1);
      }
    }
    const { values } = symmetricEigen(lap);
    for (let k = 1; k <= n; k++) {
      expect(values[k - 1]).toBeCloseTo(2 - 2 * Math.cos((k * Math.PI) / (n + 1)), 13);
    }
    expect(symmetricEigen(Matrix.zeros(0, 0)).values.length).toBe(0);
  });

  it("refuses non-square and non-symmetric input", () => {
    expect(() => symmetricEigen(Matrix.zeros(2, 3))).toThrow(ShapeError);
    expect(() =>
      symmetricEigen(
        Matrix.fromRows([
          [1, 2],
          [0, 1],
        ]),
      ),
    ).toThrow(InvalidArgumentError);
  });
});
