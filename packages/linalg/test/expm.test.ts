import { ShapeError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { expm, Matrix } from "../src/index.js";
import { randomMatrix, so3Generators } from "./helpers.js";

/** exp by its plain Taylor series (no scaling): an independent reference for moderate norms. */
function expmReference(a: Matrix): Matrix {
  let term = Matrix.identity(a.rows);
  let sum = Matrix.identity(a.rows);
  for (let k = 1; k < 80; k++) {
    term = term.mul(a).scale(1 / k);
    sum = sum.add(term);
  }
  return sum;
}

function relErr(a: Matrix, b: Matrix): number {
  return a.sub(b).frobeniusNorm() / b.frobeniusNorm();
}

describe("expm", () => {
  it("gives rotations for so(3) generators", () => {
    const [, , lz] = so3Generators();
    for (const t of [1e-3, 0.3, 1, 2.5, 10, 100]) {
      const r = expm(lz!.scale(t));
      const c = Math.cos(t);
      const s = Math.sin(t);
      const want = Matrix.fromRows([
        [c, -s, 0],
        [s, c, 0],
        [0, 0, 1],
      ]);
      expect(r.maxAbsDiff(want)).toBeLessThan(1e-14 * Math.max(1, t));
    }
  });

  it("exponentiates a diagonal matrix entrywise", () => {
    const d = [-3, -0.5, 0, 0.01, 1, 4];
    const e = expm(Matrix.diag(d));
    d.forEach((v, i) => {
      expect(Math.abs(e.get(i, i) - Math.exp(v)) / Math.exp(v)).toBeLessThan(2e-15);
    });
  });

  it("matches a Taylor reference at every Padé degree and with scaling", () => {
    for (const scale of [0.001, 0.05, 0.3, 1, 2, 5]) {
      const a = randomMatrix(6, 6, 11).scale(scale / 6);
      expect(relErr(expm(a), expmReference(a))).toBeLessThan(1e-15 * Math.max(1, scale));
    }
    const big = randomMatrix(6, 6, 11).scale(20 / 6);
    const half = expm(big.scale(0.5));
    expect(relErr(expm(big), half.mul(half))).toBeLessThan(1e-13);
  });

  it("satisfies e^a e^-a = I and is exact on nilpotent matrices", () => {
    const a = randomMatrix(8, 8, 12).scale(0.7);
    expect(
      expm(a)
        .mul(expm(a.scale(-1)))
        .maxAbsDiff(Matrix.identity(8)),
    ).toBeLessThan(1e-12);
    const n = Matrix.fromRows([
      [0, 1, 2],
      [0, 0, 3],
      [0, 0, 0],
    ]);
    const want = Matrix.fromRows([
      [1, 1, 3.5],
      [0, 1, 3],
      [0, 0, 1],
    ]);
    expect(expm(n).maxAbsDiff(want)).toBeLessThan(1e-15);
    expect(expm(Matrix.zeros(3, 3)).toArray()).toEqual(Matrix.identity(3).toArray());
  });

  it("refuses non-square input", () => {
    expect(() => expm(Matrix.zeros(2, 3))).toThrow(ShapeError);
  });
});
