import { Rng } from "@isotropy/core";
import { directProduct } from "@isotropy/groups";
import type { Matrix } from "@isotropy/linalg";
import { describe, expect, it } from "vitest";
import { parseRep, type Rep, rhoOperator } from "../src/index.js";
import { G } from "./helpers.js";

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** The lazy rho(g) against the rep's dense rho(g): dense form, products, transpose. */
function expectMatchesRho(rep: Rep, g: Matrix, rng: Rng): void {
  const want = rep.rho(g);
  const op = rhoOperator(rep, g);
  const tol = 1e-12 * Math.max(1, want.frobeniusNorm());
  expect([op.rows, op.cols]).toEqual([rep.size, rep.size]);
  expect(op.toDense().maxAbsDiff(want)).toBeLessThan(tol);
  expect(op.transpose().toDense().maxAbsDiff(want.transpose())).toBeLessThan(tol);
  const x = rng.normals(rep.size);
  expect(maxDiff(op.matvec(x), want.matvec(x))).toBeLessThan(10 * tol);
  expect(maxDiff(op.rmatvec(x), want.transpose().matvec(x))).toBeLessThan(10 * tol);
  const product = want.mul(want.transpose());
  expect(op.matmat(want.transpose()).maxAbsDiff(product)).toBeLessThan(10 * tol);
}

describe("rhoOperator equals the rep's dense rho", () => {
  // [name, group, rep, whether its layout is permuted against the canonical order of its leaves]
  const cases: [string, () => ReturnType<typeof G>, string, boolean][] = [
    ["O(3), a sum out of rank order", () => G("O", 3), "V + 2*Scalar + T(2) + V + T(3)", false],
    [
      "O(3), a product of sums (permuted layout)",
      () => G("O", 3),
      "(V + Scalar) * (V + 2*Scalar)",
      true,
    ],
    ["Lorentz, a permuted layout with duals", () => G("Lorentz"), "(V + Scalar) * (V* + V)", true],
    ["O(3), one tensor leaf", () => G("O", 3), "T(3)", false],
    ["Lorentz, mixed tensors and duals", () => G("Lorentz"), "V + V* + T(1,1) + Scalar + V", false],
    ["S(5), permutation reps", () => G("S", 5), "T(2) + V + Scalar + V", false],
    ["S(4), a permuted layout", () => G("S", 4), "(V + Scalar) * (V + Scalar)", true],
    [
      "O(2) x S(3), a direct product",
      () => directProduct(G("O", 2), G("S", 3)),
      "V[0]*V[1] + V[0] + V[1]",
      false,
    ],
  ];
  for (const [name, group, spec, permuted] of cases) {
    it(name, () => {
      const g = group();
      const rep = parseRep(spec, g);
      expect(rep.decompose().perm !== null).toBe(permuted);
      const rng = new Rng(7);
      for (let k = 0; k < 3; k++) expectMatchesRho(rep, g.sample(rng), rng);
    });
  }
});
