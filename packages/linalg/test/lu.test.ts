import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { inverse, Matrix, solve } from "../src/index.js";
import { randomMatrix } from "./helpers.js";

describe("inverse and solve", () => {
  it("inverts a random matrix", () => {
    const a = randomMatrix(12, 12, 5);
    const inv = inverse(a);
    expect(a.mul(inv).maxAbsDiff(Matrix.identity(12))).toBeLessThan(1e-12);
    expect(inv.mul(a).maxAbsDiff(Matrix.identity(12))).toBeLessThan(1e-12);
  });

  it("needs pivoting: a zero leading entry is fine", () => {
    const a = Matrix.fromRows([
      [0, 1],
      [1, 0],
    ]);
    expect(inverse(a).toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
  });

  it("solves for a matrix and a vector right-hand side", () => {
    const a = randomMatrix(9, 9, 6);
    const b = randomMatrix(9, 3, 7);
    const x = solve(a, b);
    expect(a.mul(x).maxAbsDiff(b)).toBeLessThan(1e-12);
    const v = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    const y = solve(a, v);
    expect(y).toBeInstanceOf(Float64Array);
    const ay = a.matvec(y);
    for (let i = 0; i < 9; i++) expect(ay[i]).toBeCloseTo(v[i]!, 11);
  });

  it("refuses singular and non-square matrices", () => {
    const s = Matrix.fromRows([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    expect(() => inverse(s)).toThrow(InvalidArgumentError);
    expect(() => inverse(Matrix.zeros(2, 2))).toThrow(/singular/);
    expect(() => inverse(Matrix.zeros(2, 3))).toThrow(ShapeError);
    expect(() => solve(Matrix.identity(2), [1, 2, 3])).toThrow(ShapeError);
  });
});
