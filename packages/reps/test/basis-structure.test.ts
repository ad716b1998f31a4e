import { rng } from "@isotropy/core";
import { Matrix } from "@isotropy/linalg";
import { describe, expect, it } from "vitest";
import {
  basisEquivarianceError,
  equivariantBasis,
  equivariantProjector,
  MemoryCache,
  Scalar,
  T,
  V,
} from "../src/index.js";
import { G } from "./helpers.js";

function orthonormalityError(m: Matrix): number {
  const gram = m.transpose().mul(m);
  return gram.maxAbsDiff(Matrix.identity(m.cols));
}

describe("equivariant basis structure", () => {
  it("is orthonormal and equivariant for sums with multiplicities and permuted products", () => {
    for (const g of [G("SO", 3), G("S", 4), G("D", 4), G("O", 1, 3)]) {
      const rin = V(g).times(2).plus(Scalar(g)).plus(V(g).pow(2));
      const rout = V(g).plus(Scalar(g)).pow(2);
      const b = equivariantBasis(rin, rout, { cache: new MemoryCache() });
      expect(b.size).toBe(rin.size * rout.size);
      expect(orthonormalityError(b.toDense())).toBeLessThan(1e-10);
      expect(basisEquivarianceError(b, rng(2), 3)).toBeLessThan(1e-10);
    }
  });

  it("dimensions add over direct sums", () => {
    const r = rng(3);
    for (const g of [G("SO", 3), G("S", 4), G("Z", 4)]) {
      const parts = [V(g), Scalar(g), T(g, 2), V(g).dual()];
      for (let trial = 0; trial < 4; trial++) {
        const a = parts[r.int(parts.length)]!;
        const b = parts[r.int(parts.length)]!;
        const c = parts[r.int(parts.length)]!;
        const whole = equivariantBasis(a.plus(b), c).dim;
        expect(whole).toBe(equivariantBasis(a, c).dim + equivariantBasis(b, c).dim);
      }
    }
  });

  it("the projector is idempotent, symmetric and lands on equivariant maps", () => {
    const g = G("SO", 3);
    const rin = V(g).plus(T(g, 2));
    const rout = V(g).times(2);
    const p = equivariantProjector(rin, rout);
    const r = rng(4);
    const w = new Matrix(rout.size, rin.size, r.normals(rout.size * rin.size));
    const pw = p.apply(w);
    expect(p.apply(pw).maxAbsDiff(pw)).toBeLessThan(1e-12);
    const u = new Matrix(rout.size, rin.size, r.normals(rout.size * rin.size));
    // <P w, u> = <w, P u>
    const dot = (a: Matrix, b: Matrix) => a.data.reduce((s, v, i) => s + v * b.data[i]!, 0);
    expect(Math.abs(dot(pw, u) - dot(w, p.apply(u)))).toBeLessThan(1e-10);
  });

  it("solves each distinct leaf pair once and reuses it from the cache", () => {
    const g = G("SO", 3);
    const cache = new MemoryCache();
    const hidden = Scalar(g).times(10).plus(V(g).times(4)).plus(T(g, 2).times(2));
    const solved: string[] = [];
    const b = equivariantBasis(hidden, hidden, { cache, onSolve: (i) => solved.push(i.method) });
    expect(b.pairs.length).toBeLessThanOrEqual(9);
    const again: string[] = [];
    const b2 = equivariantBasis(hidden, hidden, { cache, onSolve: (i) => again.push(i.method) });
    expect(b2.dim).toBe(b.dim);
    expect(again.every((m) => m === "cache")).toBe(true);
    expect(b2.method).toBe("cache");
  });
});
