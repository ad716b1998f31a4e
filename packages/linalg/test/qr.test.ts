import { describe, expect, it } from "vitest";
import { Matrix, qr } from "../src/index.js";
import { orthogonalityError, randomMatrix } from "./helpers.js";

describe("qr", () => {
  for (const [m, n] of [
    [7, 4],
    [4, 7],
    [6, 6],
    [1, 5],
    [30, 12],
  ] as const) {
    it(`factors a random ${m} x ${n} matrix into orthonormal q and upper-triangular r`, () => {
      const a = randomMatrix(m, n, m * 31 + n);
      const { q, r } = qr(a);
      const p = Math.min(m, n);
      expect([q.rows, q.cols, r.rows, r.cols]).toEqual([m, p, p, n]);
      expect(orthogonalityError(q)).toBeLessThan(1e-14);
      expect(q.mul(r).maxAbsDiff(a)).toBeLessThan(1e-13);
      for (let i = 0; i < p; i++) {
        expect(r.get(i, i)).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < i; j++) expect(r.get(i, j)).toBe(0);
      }
    });
  }

  it("keeps q orthonormal for a rank-deficient matrix", () => {
    const b = randomMatrix(8, 2, 3);
    const a = b.mul(randomMatrix(2, 5, 4)); // rank 2
    const { q, r } = qr(a);
    expect(orthogonalityError(q)).toBeLessThan(1e-14);
    expect(q.mul(r).maxAbsDiff(a)).toBeLessThan(1e-13);
    expect(Math.abs(r.get(3, 3))).toBeLessThan(1e-13);
  });

  it("handles a zero matrix and an empty one", () => {
    const { q, r } = qr(Matrix.zeros(3, 2));
    expect(orthogonalityError(q)).toBe(0);
    expect(r.frobeniusNorm()).toBe(0);
    const e = qr(Matrix.zeros(0, 3));
    expect([e.q.rows, e.q.cols, e.r.rows, e.r.cols]).toEqual([0, 0, 0, 3]);
  });
});
