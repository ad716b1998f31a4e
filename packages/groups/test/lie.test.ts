import { InvalidArgumentError, Rng } from "@isotropy/core";
import { expm, Matrix } from "@isotropy/linalg";
import { describe, expect, it } from "vitest";
import {
  GL,
  type Group,
  isAntisymmetric,
  isIdentity,
  isOrthogonalMatrix,
  Lorentz,
  minkowskiMetric,
  O,
  Opq,
  Scaling,
  SL,
  SO,
  SOplus,
  SOpq,
  Sp,
  SU,
  symplecticForm,
  U,
} from "../src/index.js";
import { complexDeterminant, determinant } from "../src/matrix-utils.js";
import { relDiff, trace } from "./helpers.js";

const shapeOk = (g: Group) => {
  for (const m of [...g.discreteGenerators, ...g.lieGenerators]) {
    expect([m.rows, m.cols]).toEqual([g.d, g.d]);
    expect(m.isFinite()).toBe(true);
  }
};

describe("compact groups", () => {
  it.each([1, 2, 3, 5])("SO(%i): n(n-1)/2 antisymmetric generators, Haar samples in SO(n)", (n) => {
    const g = SO(n);
    shapeOk(g);
    expect(g.name).toBe(`SO(${n})`);
    expect(g.lieGenerators).toHaveLength((n * (n - 1)) / 2);
    expect(g.discreteGenerators).toHaveLength(0);
    expect(g.isOrthogonal).toBe(true);
    for (const a of g.lieGenerators) expect(isAntisymmetric(a, 0)).toBe(true);
    const rng = new Rng(n);
    for (let k = 0; k < 20; k++) {
      const s = g.sample(rng);
      expect(isOrthogonalMatrix(s, 1e-12)).toBe(true);
      expect(determinant(s)).toBeCloseTo(1, 12);
    }
  });

  it("O(n): SO(n) plus the reflection diag(-1, 1, ...); samples have det +-1, both signs", () => {
    const g = O(4);
    shapeOk(g);
    expect(g.discreteGenerators).toHaveLength(1);
    expect(g.discreteGenerators[0]!.toArray()[0]).toEqual([-1, 0, 0, 0]);
    expect(determinant(g.discreteGenerators[0]!)).toBe(-1);
    const rng = new Rng(2);
    const dets = new Set<number>();
    for (let k = 0; k < 40; k++) {
      const s = g.sample(rng);
      expect(isOrthogonalMatrix(s, 1e-12)).toBe(true);
      dets.add(Math.round(determinant(s)));
    }
    expect([...dets].sort()).toEqual([-1, 1]);
  });

  it("O(1) = {1, -1} and SO(1) = {1} are finite", () => {
    expect(O(1).order()).toBe(2n);
    expect(SO(1).order()).toBe(1n);
    expect(O(1).isFinite).toBe(true);
    expect(() => SO(3).order()).toThrow(InvalidArgumentError);
    expect(() => SO(3).elements()).toThrow(/finite groups only/);
  });

  it("Haar on SO(3): E[tr g] = 0 and E[tr(g)^2] = 1 (one invariant in V (x) V)", () => {
    const rng = new Rng(2024);
    const n = 4000;
    let s1 = 0;
    let s2 = 0;
    for (let k = 0; k < n; k++) {
      const t = trace(SO(3).sample(rng));
      s1 += t;
      s2 += t * t;
    }
    // sd of the means: 1/sqrt(n) = 0.016 and sqrt(Var(tr^2) / n) < 0.03
    expect(Math.abs(s1 / n)).toBeLessThan(0.07);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.12);
  });

  it("Haar on O(3): E[tr g] = 0, E[tr(g)^2] = 1, E[det] = 0", () => {
    const rng = new Rng(99);
    const n = 3000;
    let s1 = 0;
    let s2 = 0;
    let sd = 0;
    for (let k = 0; k < n; k++) {
      const g = O(3).sample(rng);
      const t = trace(g);
      s1 += t;
      s2 += t * t;
      sd += determinant(g);
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.07);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.12);
    expect(Math.abs(sd / n)).toBeLessThan(0.07);
  });

  it("U(n), SU(n) realified on R^(2n): antisymmetric generators commuting with the complex structure", () => {
    for (const [g, dim] of [
      [U(1), 1],
      [U(2), 4],
      [U(3), 9],
      [SU(2), 3],
      [SU(3), 8],
    ] as const) {
      shapeOk(g);
      expect(g.lieGenerators).toHaveLength(dim);
      expect(g.isOrthogonal).toBe(true);
      const n = g.d / 2;
      // J = [[0, -I], [I, 0]] is multiplication by i
      const J = Matrix.zeros(2 * n, 2 * n);
      for (let i = 0; i < n; i++) {
        J.set(i, n + i, -1);
        J.set(n + i, i, 1);
      }
      for (const a of g.lieGenerators) {
        expect(isAntisymmetric(a, 0)).toBe(true);
        expect(a.mul(J).maxAbsDiff(J.mul(a))).toBe(0);
      }
      const rng = new Rng(dim);
      for (let k = 0; k < 10; k++) {
        const s = g.sample(rng);
        expect(isOrthogonalMatrix(s, 1e-12)).toBe(true);
        expect(s.mul(J).maxAbsDiff(J.mul(s))).toBeLessThan(1e-12);
      }
    }
  });

  it("SU(n) samples have complex determinant 1; their realified det is 1 too", () => {
    const rng = new Rng(8);
    for (let k = 0; k < 10; k++) {
      const s = SU(3).sample(rng);
      expect(determinant(s)).toBeCloseTo(1, 10);
      // complex det 1 <=> s is in exp(su(3)); check via the complex determinant of s
      const re = new Float64Array(9);
      const im = new Float64Array(9);
      for (let i = 0; i < 3; i++)
        for (let j = 0; j < 3; j++) {
          re[i * 3 + j] = s.get(i, j);
          im[i * 3 + j] = s.get(3 + i, j);
        }
      const [dr, di] = complexDeterminant(re, im, 3);
      expect(dr).toBeCloseTo(1, 10);
      expect(di).toBeCloseTo(0, 10);
    }
  });

  it("Haar on U(2) and SU(2): E[tr_R(g)^2] = 2 resp. 4 (tr_R = 2 Re tr_C)", () => {
    const rng = new Rng(31);
    const n = 3000;
    for (const [g, want] of [
      [U(2), 2],
      [SU(2), 4],
    ] as const) {
      let s1 = 0;
      let s2 = 0;
      for (let k = 0; k < n; k++) {
        const t = trace(g.sample(rng));
        s1 += t;
        s2 += t * t;
      }
      expect(Math.abs(s1 / n)).toBeLessThan(0.15);
      expect(Math.abs(s2 / n - want)).toBeLessThan(0.25 * want);
    }
  });
});

describe("Lorentz family (time first)", () => {
  const eta = minkowskiMetric(1, 3);

  it("the metric is diag(1, -1, -1, -1); Lorentz() is O(1,3)", () => {
    expect(eta.toArray()).toEqual([
      [1, 0, 0, 0],
      [0, -1, 0, 0],
      [0, 0, -1, 0],
      [0, 0, 0, -1],
    ]);
    expect(Lorentz().name).toBe("O(1,3)");
    expect(O(1, 3).name).toBe("O(1,3)");
    expect(SO(1, 3).name).toBe("SO(1,3)");
    expect(SOplus(1, 3).name).toBe("SO+(1,3)");
  });

  it("so(1,3): 3 boosts then 3 rotations, A^T eta + eta A = 0", () => {
    const g = SOplus(1, 3);
    shapeOk(g);
    expect(g.lieGenerators).toHaveLength(6);
    expect(g.discreteGenerators).toHaveLength(0);
    g.lieGenerators.forEach((a, k) => {
      expect(a.transpose().mul(eta).add(eta.mul(a)).frobeniusNorm()).toBe(0);
      // boosts are symmetric and mix time with space; rotations are antisymmetric in space
      if (k < 3) expect(a.get(0, k + 1)).toBe(1);
      else expect(isAntisymmetric(a, 0)).toBe(true);
    });
    expect(g.isOrthogonal).toBe(false);
  });

  it("O(1,3) adds parity P and time reversal T; SO(1,3) adds PT = -I", () => {
    const [P, T] = Lorentz().discreteGenerators;
    expect(P!.toArray()).toEqual(Matrix.diag([1, -1, -1, -1]).toArray());
    expect(T!.toArray()).toEqual(Matrix.diag([-1, 1, 1, 1]).toArray());
    const [PT] = SO(1, 3).discreteGenerators;
    expect(PT!.toArray()).toEqual(Matrix.diag([-1, -1, -1, -1]).toArray());
    for (const h of [P!, T!, PT!]) expect(h.transpose().mul(eta).mul(h).maxAbsDiff(eta)).toBe(0);
  });

  it("samples preserve eta; SO+(1,3) samples have g00 >= 1 and det 1; O(1,3) reaches 4 components", () => {
    const rng = new Rng(13);
    const comps = new Set<string>();
    for (let k = 0; k < 60; k++) {
      const plus = SOplus(1, 3).sample(rng);
      expect(relDiff(plus.transpose().mul(eta).mul(plus), eta)).toBeLessThan(1e-10);
      expect(plus.get(0, 0)).toBeGreaterThanOrEqual(1 - 1e-12);
      expect(determinant(plus)).toBeCloseTo(1, 8);

      const so = SO(1, 3).sample(rng);
      expect(relDiff(so.transpose().mul(eta).mul(so), eta)).toBeLessThan(1e-10);
      expect(determinant(so)).toBeCloseTo(1, 8);

      const o = Lorentz().sample(rng);
      expect(relDiff(o.transpose().mul(eta).mul(o), eta)).toBeLessThan(1e-10);
      comps.add(`${Math.sign(o.get(0, 0))},${Math.round(determinant(o))}`);
    }
    expect(comps.size).toBe(4);
  });

  it("O(1,1): boost [[0,1],[1,0]], generators preserve diag(1,-1)", () => {
    const g = O(1, 1);
    const e = minkowskiMetric(1, 1);
    expect(g.lieGenerators[0]!.toArray()).toEqual([
      [0, 1],
      [1, 0],
    ]);
    for (const h of g.discreteGenerators) expect(h.transpose().mul(e).mul(h).maxAbsDiff(e)).toBe(0);
    const rng = new Rng(1);
    for (let k = 0; k < 10; k++) {
      const s = g.sample(rng);
      expect(relDiff(s.transpose().mul(e).mul(s), e)).toBeLessThan(1e-10);
    }
  });

  it("general O(p,q), SO(p,q): generators and samples preserve eta = diag(+1 x p, -1 x q)", () => {
    for (const [p, q] of [
      [2, 2],
      [3, 1],
      [2, 3],
    ] as const) {
      const e = minkowskiMetric(p, q);
      for (const g of [Opq(p, q), SOpq(p, q), SOplus(p, q)]) {
        shapeOk(g);
        expect(g.lieGenerators).toHaveLength(((p + q) * (p + q - 1)) / 2);
        for (const a of g.lieGenerators)
          expect(a.transpose().mul(e).add(e.mul(a)).frobeniusNorm()).toBe(0);
        for (const h of g.discreteGenerators)
          expect(h.transpose().mul(e).mul(h).maxAbsDiff(e)).toBe(0);
        const s = g.sample(new Rng(p * 10 + q));
        expect(relDiff(s.transpose().mul(e).mul(s), e)).toBeLessThan(1e-10);
      }
      expect(SOpq(p, q).discreteGenerators.every((h) => determinant(h) === 1)).toBe(true);
    }
  });

  it("definite signatures are the compact groups: O(3,0) is O(3)", () => {
    expect(O(3, 0).name).toBe("O(3)");
    expect(SO(0, 2).name).toBe("SO(2)");
  });
});

describe("non-compact groups", () => {
  it("Sp(m): m(2m+1) generators with A^T J + J A = 0; samples satisfy g^T J g = J", () => {
    for (const m of [1, 2, 3]) {
      const g = Sp(m);
      shapeOk(g);
      expect(g.d).toBe(2 * m);
      expect(g.lieGenerators).toHaveLength(m * (2 * m + 1));
      const J = symplecticForm(m);
      for (const a of g.lieGenerators)
        expect(a.transpose().mul(J).add(J.mul(a)).frobeniusNorm()).toBe(0);
      const rng = new Rng(m);
      for (let k = 0; k < 5; k++) {
        const s = g.sample(rng);
        expect(relDiff(s.transpose().mul(J).mul(s), J)).toBeLessThan(1e-9);
      }
    }
  });

  it("SL(n): n^2 - 1 traceless generators spanning sl(n); samples have det 1", () => {
    const g = SL(3);
    shapeOk(g);
    expect(g.lieGenerators).toHaveLength(8);
    for (const a of g.lieGenerators) expect(trace(a)).toBe(0);
    const rng = new Rng(4);
    for (let k = 0; k < 10; k++) expect(determinant(g.sample(rng))).toBeCloseTo(1, 8);
  });

  it("GL(n): n^2 generators plus a reflection; samples are invertible with both det signs", () => {
    const g = GL(3);
    shapeOk(g);
    expect(g.lieGenerators).toHaveLength(9);
    expect(g.discreteGenerators).toHaveLength(1);
    const rng = new Rng(6);
    const signs = new Set<number>();
    for (let k = 0; k < 30; k++) {
      const det = determinant(g.sample(rng));
      expect(Math.abs(det)).toBeGreaterThan(0);
      signs.add(Math.sign(det));
    }
    expect(signs.size).toBe(2);
  });

  it("Scaling(n): Lie generator I; samples are positive multiples of I", () => {
    const g = Scaling(3);
    expect(g.lieGenerators).toHaveLength(1);
    expect(isIdentity(g.lieGenerators[0]!)).toBe(true);
    const s = g.sample(new Rng(1));
    const c = s.get(0, 0);
    expect(c).toBeGreaterThan(0);
    expect(s.maxAbsDiff(Matrix.identity(3).scale(c))).toBe(0);
  });

  it("the exp sampler lands in the group: exp of each Lie generator preserves the structure", () => {
    // spot check against expm directly
    const a = SOplus(1, 3).lieGenerators[0]!.scale(0.5);
    const g = expm(a);
    expect(g.get(0, 0)).toBeCloseTo(Math.cosh(0.5), 12);
    expect(g.get(0, 1)).toBeCloseTo(Math.sinh(0.5), 12);
  });
});
