import { rng } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  basisEquivarianceError,
  equivariantBasis,
  MemoryCache,
  type Rep,
  Scalar,
  T,
  V,
} from "../src/index.js";
import { G } from "./helpers.js";

// The closed form (Brauer spanning sets) against the numerical solver, on the same problems.
function both(rin: Rep, rout: Rep) {
  const closed = equivariantBasis(rin, rout, { cache: new MemoryCache() });
  const numeric = equivariantBasis(rin, rout, { cache: new MemoryCache(), closedForm: false });
  return { closed, numeric };
}

describe("closed-form invariants of the classical groups", () => {
  it("agree with the numerical solver in dimension and span", () => {
    const cases: [ReturnType<typeof G>, Rep, Rep][] = [];
    for (const g of [
      G("SO", 3),
      G("O", 3),
      G("O", 4),
      G("SO", 2),
      G("SO+", 1, 3),
      G("SO", 1, 3),
      G("O", 1, 3),
      G("Sp", 1),
      G("Sp", 2),
    ]) {
      cases.push(
        [g, T(g, 3), Scalar(g)],
        [g, T(g, 2), T(g, 2)],
        [g, T(g, 1, 1), V(g)],
        [g, T(g, 2, 2), Scalar(g)],
      );
    }
    for (const [, rin, rout] of cases) {
      const { closed, numeric } = both(rin, rout);
      expect(closed.dim).toBe(numeric.dim);
      expect(closed.method).toMatch(/brauer|trivial/);
      // same span: projecting the numerical basis onto the closed one changes nothing
      if (closed.dim > 0) {
        const r = rng(closed.dim);
        const w = numeric.weight(r.normals(numeric.dim));
        expect(closed.project(w).maxAbsDiff(w)).toBeLessThan(1e-9);
        expect(basisEquivarianceError(closed, r, 2)).toBeLessThan(1e-10);
      }
    }
  });

  it("gives the known Lorentz and rotation dimensions", () => {
    const so3 = G("SO", 3);
    expect(equivariantBasis(T(so3, 8), Scalar(so3)).dim).toBe(91);
    expect(equivariantBasis(T(so3, 7), Scalar(so3)).dim).toBe(36);
    const sop = G("SO+", 1, 3);
    expect(equivariantBasis(T(sop, 4), Scalar(sop)).dim).toBe(4);
    expect(equivariantBasis(T(sop, 4), Scalar(sop), { cache: new MemoryCache() }).method).toBe(
      "brauer",
    );
  });
});
