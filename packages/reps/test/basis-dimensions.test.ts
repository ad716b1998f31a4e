import { rng } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  basisEquivarianceError,
  equivariantBasis,
  MemoryCache,
  Scalar,
  T,
  V,
} from "../src/index.js";
import { bell, G } from "./helpers.js";

// Known dimensions of equivariant bases (emlp's ladder and classical invariant theory).
function dim(_group: ReturnType<typeof G>, rin: ReturnType<typeof V>, rout: ReturnType<typeof V>) {
  const b = equivariantBasis(rin, rout, { cache: new MemoryCache() });
  const err = basisEquivarianceError(b, rng(1), 2);
  expect(err).toBeLessThan(1e-10);
  return b.dim;
}

describe("basis dimensions: permutation groups (orbital)", () => {
  it("S(n): V->V = 2, V⊗V->V = 5, T(2)->T(2) = 15", () => {
    for (const n of [3, 4, 5]) {
      const g = G("S", n);
      expect(dim(g, V(g), V(g))).toBe(2);
      expect(dim(g, T(g, 2), V(g))).toBe(5);
      if (n >= 4) expect(dim(g, T(g, 2), T(g, 2))).toBe(15);
    }
  });

  it("S(n): T(k)->T(l) = Bell(k+l) when n >= k+l; S(5) T(5)->Scalar = 52", () => {
    const g = G("S", 5);
    for (const [k, l] of [
      [1, 1],
      [2, 1],
      [1, 3],
      [2, 3],
    ] as const) {
      expect(dim(g, T(g, k), T(g, l))).toBe(bell(k + l));
    }
    expect(dim(g, T(g, 5), Scalar(g))).toBe(52);
    expect(bell(5)).toBe(52);
  });

  it("Z(n): V->V = n", () => {
    for (const n of [2, 5, 7]) expect(dim(G("Z", n), V(G("Z", n)), V(G("Z", n)))).toBe(n);
  });
});

describe("basis dimensions: Lie groups and rotations", () => {
  it("SO(3) T(k)->Scalar for k = 0..6 is 1,0,1,1,3,6,15", () => {
    const g = G("SO", 3);
    const want = [1, 0, 1, 1, 3, 6, 15];
    want.forEach((d, k) => {
      expect(dim(g, T(g, k), Scalar(g))).toBe(d);
    });
  });

  it("O(3) T(k)->Scalar: 0 for odd k, 1, 3, 15 for k = 2, 4, 6", () => {
    const g = G("O", 3);
    expect(dim(g, T(g, 3), Scalar(g))).toBe(0);
    expect(dim(g, T(g, 5), Scalar(g))).toBe(0);
    expect(dim(g, T(g, 2), Scalar(g))).toBe(1);
    expect(dim(g, T(g, 4), Scalar(g))).toBe(3);
    expect(dim(g, T(g, 6), Scalar(g))).toBe(15);
  });

  it("SO(3) T(2)->T(2) = 3", () => {
    const g = G("SO", 3);
    expect(dim(g, T(g, 2), T(g, 2))).toBe(3);
  });

  it("C(k) V->V = 2 and D(k) V->V = 1 for k >= 3", () => {
    for (const k of [3, 4, 6]) {
      expect(dim(G("C", k), V(G("C", k)), V(G("C", k)))).toBe(2);
      expect(dim(G("D", k), V(G("D", k)), V(G("D", k)))).toBe(1);
    }
  });

  it("Lorentz: T(2,0)->Scalar = 1 and T(1,1)->Scalar = 1; T(4,0)->Scalar = 4, 4, 3", () => {
    for (const g of [G("SO+", 1, 3), G("SO", 1, 3), G("O", 1, 3)]) {
      expect(dim(g, T(g, 2, 0), Scalar(g))).toBe(1);
      expect(dim(g, T(g, 1, 1), Scalar(g))).toBe(1);
    }
    expect(dim(G("SO+", 1, 3), T(G("SO+", 1, 3), 4), Scalar(G("SO+", 1, 3)))).toBe(4);
    expect(dim(G("SO", 1, 3), T(G("SO", 1, 3), 4), Scalar(G("SO", 1, 3)))).toBe(4);
    expect(dim(G("O", 1, 3), T(G("O", 1, 3), 4), Scalar(G("O", 1, 3)))).toBe(3);
  });
});
