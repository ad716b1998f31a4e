import { InvalidArgumentError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { Matrix, orthonormalizeColumns } from "../src/index.js";
import { orthogonalityError, randomMatrix } from "./helpers.js";

/** Largest distance of a's columns from the span of q's orthonormal columns. */
function outsideSpan(a: Matrix, q: Matrix): number {
  const residual = a.sub(q.mul(q.transpose().mul(a)));
  return residual.frobeniusNorm();
}

describe("orthonormalizeColumns", () => {
  it("returns an orthonormal basis of a full-rank span", () => {
    const a = randomMatrix(20, 6, 21);
    const q = orthonormalizeColumns(a);
    expect(q.cols).toBe(6);
    expect(orthogonalityError(q)).toBeLessThan(1e-15 * 20);
    expect(outsideSpan(a, q)).toBeLessThan(1e-13);
  });

  it("drops dependent and zero columns", () => {
    const b = randomMatrix(10, 3, 22);
    const c = randomMatrix(3, 7, 23);
    const a = b.mul(c); // rank 3
    const withZero = new Matrix(10, 8);
    for (let i = 0; i < 10; i++) for (let j = 0; j < 7; j++) withZero.set(i, j + 1, a.get(i, j));
    const q = orthonormalizeColumns(withZero);
    expect(q.cols).toBe(3);
    expect(orthogonalityError(q)).toBeLessThan(1e-14);
    expect(outsideSpan(a, q)).toBeLessThan(1e-12);
  });

  it("stays orthonormal for nearly parallel columns", () => {
    const a = Matrix.fromRows([
      [1, 1, 1],
      [1e-8, 0, 0],
      [0, 1e-8, 0],
      [0, 0, 1e-8],
    ]);
    const q = orthonormalizeColumns(a, 1e-12);
    expect(q.cols).toBe(3);
    expect(orthogonalityError(q)).toBeLessThan(1e-15);
  });

  it("checks its tolerance", () => {
    expect(() => orthonormalizeColumns(Matrix.identity(2), -1)).toThrow(InvalidArgumentError);
  });
});
