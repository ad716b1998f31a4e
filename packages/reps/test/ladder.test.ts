import { rng } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { basisEquivarianceError, equivariantBasis, parseRep } from "../src/index.js";
import { G } from "./helpers.js";

// emlp's ladder: every group, mixed sums and products of tensor reps, checked for equivariance
// under sampled elements (scale-adjusted, float64).
const groups = [
  G("Trivial", 3),
  G("Z", 4),
  G("C", 3),
  G("D", 4),
  G("S", 4),
  G("A", 4),
  G("SO", 2),
  G("SO", 3),
  G("SO", 4),
  G("O", 3),
  G("O", 4),
  G("SO+", 1, 3),
  G("SO", 1, 3),
  G("O", 1, 3),
  G("Lorentz"),
  G("SO+", 1, 1),
  G("O", 1, 1),
  G("Sp", 1),
  G("Sp", 2),
  G("SL", 2),
  G("SL", 3),
  G("GL", 2),
  G("Scaling", 3),
  G("U", 2),
  G("SU", 2),
  G("Cube"),
  G("ZksZnxZn", 2, 2),
];

const reps = ["V >> V", "V + Scalar >> V**2", "T(1,1) >> V*", "2*V + Scalar >> T(2) + V"];

describe("emlp's ladder: every group, equivariant bases of mixed reps", () => {
  for (const g of groups) {
    it(`${g.name}`, () => {
      const r = rng(g.name);
      for (const text of reps) {
        const [a, b] = text.split(">>").map((s) => parseRep(s.trim(), g));
        const basis = equivariantBasis(a!, b!);
        const err = basisEquivarianceError(basis, r, 2);
        // non-compact groups sample elements of large norm: float64 still holds 1e-9
        expect(err, `${g.name}: ${text}`).toBeLessThan(g.isOrthogonal ? 1e-10 : 1e-9);
      }
    });
  }

  it("direct products combine factor bases", () => {
    const g = G("DirectProduct", G("SO", 3), G("S", 4));
    const rin = parseRep("V[0] + V[1]", g);
    const rout = parseRep("V[0]*V[1] + Scalar", g);
    const b = equivariantBasis(rin, rout);
    expect(basisEquivarianceError(b, rng(9), 3)).toBeLessThan(1e-10);
    // Hom(V_SO3, V_SO3 ⊗ V_S4) = 1 (identity ⊗ the S4-invariant vector), Hom(V_S4, 1) = 1
    expect(b.dim).toBe(2);
    const full = equivariantBasis(parseRep("V", g), parseRep("V", g));
    expect(full.dim).toBe(1 + 2);
  });
});
