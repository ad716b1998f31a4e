import { describe, expect, it } from "vitest";
import { Lorentz, O, SO, SOplus, SOpq, Sp } from "../src/index.js";

describe("invariant forms of the classical groups", () => {
  it("are preserved by the generators: h^T B h = B and A^T B + B A = 0", () => {
    for (const g of [SO(3), O(4), Lorentz(), SOpq(1, 3), SOplus(1, 3), SOplus(1, 1), Sp(2)]) {
      const f = g.invariantForm!;
      expect(f).toBeDefined();
      const b = f.form;
      for (const h of g.discreteGenerators) {
        expect(h.transpose().mul(b).mul(h).maxAbsDiff(b)).toBeLessThan(1e-12);
      }
      for (const a of g.lieGenerators) {
        const s = a.transpose().mul(b).add(b.mul(a));
        expect(s.frobeniusNorm()).toBeLessThan(1e-12);
      }
      const symmetric = b.transpose().maxAbsDiff(b) === 0;
      expect(symmetric).toBe(f.kind === "orthogonal");
    }
  });

  it("mark exactly the determinant-one groups as special", () => {
    expect(SO(3).invariantForm!.special).toBe(true);
    expect(O(3).invariantForm!.special).toBe(false);
    expect(Lorentz().invariantForm!.special).toBe(false);
    expect(SOpq(1, 3).invariantForm!.special).toBe(true);
    expect(SOplus(1, 3).invariantForm!.special).toBe(true);
  });
});
