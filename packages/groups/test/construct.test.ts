import { InvalidArgumentError, LimitExceededError, Rng, ShapeError } from "@isotropy/core";
import { Matrix } from "@isotropy/linalg";
import { describe, expect, it } from "vitest";
import {
  C,
  D,
  directProduct,
  Embed,
  groupFromGenerators,
  isGroup,
  isIdentity,
  isOrthogonalMatrix,
  Lorentz,
  O,
  S,
  SO,
  Sp,
  Trivial,
  Z,
  ZksZnxZn,
} from "../src/index.js";
import { determinant } from "../src/matrix-utils.js";
import { block, isAmong } from "./helpers.js";

describe("Embed", () => {
  it("acts on [start, stop) and as the identity elsewhere", () => {
    const g = Embed(SO(2), 3, { start: 0, stop: 2 });
    expect(g.name).toBe("Embed(SO(2),3,0:2)");
    expect(g.d).toBe(3);
    expect(g.lieGenerators).toHaveLength(1);
    expect(g.lieGenerators[0]!.toArray()).toEqual([
      [0, -1, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]);
    expect(g.isOrthogonal).toBe(true);
    const rng = new Rng(1);
    for (let k = 0; k < 10; k++) {
      const s = g.sample(rng);
      expect([s.get(2, 0), s.get(2, 1), s.get(0, 2), s.get(1, 2), s.get(2, 2)]).toEqual([
        0, 0, 0, 0, 1,
      ]);
      expect(isOrthogonalMatrix(s, 1e-12)).toBe(true);
      expect(determinant(block(s, 0, 2))).toBeCloseTo(1, 12);
    }
  });

  it("embeds discrete generators with identity around them, and keeps permutations", () => {
    const g = Embed(S(3), 5, { start: 1, stop: 4 });
    expect(g.isPermutation).toBe(true);
    expect(g.order()).toBe(6n);
    for (const h of g.discreteGenerators) {
      expect(h.get(0, 0)).toBe(1);
      expect(h.get(4, 4)).toBe(1);
    }
    g.permutationGenerators!.forEach((p, i) => {
      expect(Matrix.permutation(p).maxAbsDiff(g.discreteGenerators[i]!)).toBe(0);
    });
    const els = g.elements();
    expect(els).toHaveLength(6);
    expect(isAmong(g.sample(new Rng(2)), els)).toBe(true);
    const dk = Embed(D(4), 3, { start: 1, stop: 3 });
    expect(dk.order()).toBe(8n);
    expect(dk.discreteGenerators[1]!.toArray()).toEqual([
      [1, 0, 0],
      [0, -1, 0],
      [0, 0, 1],
    ]);
  });

  it("rejects slices that do not fit", () => {
    expect(() => Embed(SO(2), 3, { start: 0, stop: 3 })).toThrow(
      /slice has 3 coordinates but SO\(2\) acts on R\^2/,
    );
    expect(() => Embed(SO(2), 3, { start: 2, stop: 4 })).toThrow(InvalidArgumentError);
    expect(() => Embed(SO(2), 3, { start: 1, stop: 1 })).toThrow(InvalidArgumentError);
    expect(() => Embed({} as never, 3, { start: 0, stop: 2 })).toThrow(/must be a group/);
  });
});

describe("directProduct", () => {
  it("acts block-diagonally, named GxH, with factor offsets", () => {
    const g = directProduct(SO(3), S(5));
    expect(g.name).toBe("SO(3)xS(5)");
    expect(g.d).toBe(8);
    expect(g.factors!.map((f) => [f.group.name, f.offset])).toEqual([
      ["SO(3)", 0],
      ["S(5)", 3],
    ]);
    expect(g.lieGenerators).toHaveLength(3);
    expect(g.discreteGenerators).toHaveLength(2);
    expect(g.isOrthogonal).toBe(true);
    expect(g.isPermutation).toBe(false);
    expect(g.isFinite).toBe(false);
    for (const a of g.lieGenerators) expect(block(a, 3, 5).frobeniusNorm()).toBe(0);
    for (const h of g.discreteGenerators) expect(isIdentity(block(h, 0, 3))).toBe(true);
    const rng = new Rng(3);
    const s5 = S(5).elements();
    for (let k = 0; k < 10; k++) {
      const s = g.sample(rng);
      for (let i = 0; i < 3; i++)
        for (let j = 3; j < 8; j++) expect([s.get(i, j), s.get(j, i)]).toEqual([0, 0]);
      expect(determinant(block(s, 0, 3))).toBeCloseTo(1, 12);
      expect(isAmong(block(s, 3, 5), s5)).toBe(true);
    }
  });

  it("flattens nested products; finite products have order = product and enumerate", () => {
    const g = directProduct(directProduct(Z(3), C(4)), D(2));
    expect(g.name).toBe("Z(3)xC(4)xD(2)");
    expect(g.factors!.map((f) => f.offset)).toEqual([0, 3, 5]);
    expect(g.order()).toBe(48n);
    const els = g.elements();
    expect(els).toHaveLength(48);
    for (let i = 0; i < els.length; i++)
      for (let j = 0; j < i; j++) expect(els[i]!.maxAbsDiff(els[j]!)).toBeGreaterThan(0.5);
    expect(isAmong(g.sample(new Rng(1)), els)).toBe(true);
  });

  it("products of permutation groups are permutation groups", () => {
    const g = directProduct(S(3), Z(4), ZksZnxZn(2, 2));
    expect(g.isPermutation).toBe(true);
    expect(g.order()).toBe(6n * 4n * 8n);
    g.permutationGenerators!.forEach((p, i) => {
      expect(Matrix.permutation(p).maxAbsDiff(g.discreteGenerators[i]!)).toBe(0);
    });
  });

  it("a single group is returned unchanged; no group is an error", () => {
    const so3 = SO(3);
    expect(directProduct(so3)).toBe(so3);
    expect(() => directProduct()).toThrow(InvalidArgumentError);
  });

  it("Lorentz x SO(2) samples preserve the block metric", () => {
    const g = directProduct(Lorentz(), SO(2));
    const s = g.sample(new Rng(4));
    const eta = Matrix.diag([1, -1, -1, -1]);
    const b = block(s, 0, 4);
    expect(b.transpose().mul(eta).mul(b).maxAbsDiff(eta)).toBeLessThan(1e-9);
  });
});

describe("groupFromGenerators", () => {
  const rot90 = Matrix.fromRows([
    [0, -1],
    [1, 0],
  ]);

  it("detects permutation groups (exact order and uniform sampling by Schreier-Sims)", () => {
    const g = groupFromGenerators({
      name: "MyS4",
      discrete: [Matrix.permutation([1, 0, 2, 3]), Matrix.permutation([1, 2, 3, 0])],
    });
    expect(g.isPermutation).toBe(true);
    expect(g.isFinite).toBe(true);
    expect(g.isOrthogonal).toBe(true);
    expect(Array.from(g.permutationGenerators![1]!)).toEqual([1, 2, 3, 0]);
    expect(g.order()).toBe(24n);
    expect(g.elements()).toHaveLength(24);
    expect(isAmong(g.sample(new Rng(1)), S(4).elements())).toBe(true);
  });

  it("finite matrix groups declared finite enumerate within tolerance", () => {
    const t = (2 * Math.PI) / 6;
    const r6 = Matrix.fromRows([
      [Math.cos(t), -Math.sin(t)],
      [Math.sin(t), Math.cos(t)],
    ]);
    const g = groupFromGenerators({ name: "C6", discrete: [r6], finite: true });
    expect(g.isPermutation).toBe(false);
    expect(g.order()).toBe(6n);
    expect(isAmong(g.sample(new Rng(2)), g.elements())).toBe(true);
    const notFinite = groupFromGenerators({ name: "R90", discrete: [rot90] });
    expect(notFinite.isFinite).toBe(false);
    expect(() => notFinite.elements()).toThrow(/not known to be finite/);
    // an infinite group declared finite hits the limit instead of looping forever
    const bad = groupFromGenerators({ name: "Bad", discrete: [Matrix.diag([2, 1])], finite: true });
    expect(() => bad.elements(50)).toThrow(LimitExceededError);
  });

  it("Lie groups from generators: orthogonality detected, samples by exp", () => {
    const g = groupFromGenerators({ name: "MySO2", lie: [rot90] });
    expect(g.isOrthogonal).toBe(true);
    expect(g.isFinite).toBe(false);
    const s = g.sample(new Rng(3));
    expect(isOrthogonalMatrix(s, 1e-12)).toBe(true);
    const sym = groupFromGenerators({
      name: "Boost",
      lie: [
        Matrix.fromRows([
          [0, 1],
          [1, 0],
        ]),
      ],
      lieScale: 0.1,
    });
    expect(sym.isOrthogonal).toBe(false);
    // random words with negative powers use the inverse
    const w = groupFromGenerators({
      name: "Shear",
      discrete: [
        Matrix.fromRows([
          [1, 1],
          [0, 1],
        ]),
      ],
    });
    const x = w.sample(new Rng(5));
    expect(x.get(0, 0)).toBe(1);
    expect(x.get(1, 0)).toBe(0);
    expect(Number.isInteger(x.get(0, 1))).toBe(true);
    expect(isGroup(sym)).toBe(true);
  });

  it("validates generators with typed errors", () => {
    expect(() => groupFromGenerators({ name: "X", discrete: [new Matrix(2, 3)] })).toThrow(
      ShapeError,
    );
    expect(() => groupFromGenerators({ name: "X", discrete: [new Matrix(2, 3)] })).toThrow(
      /must be square/,
    );
    expect(() =>
      groupFromGenerators({ name: "X", discrete: [Matrix.identity(2)], lie: [Matrix.zeros(3, 3)] }),
    ).toThrow(/all generators act on the same R\^d/);
    expect(() => groupFromGenerators({ name: "X", lie: [Matrix.diag([Number.NaN, 0])] })).toThrow(
      /non-finite/,
    );
    expect(() => groupFromGenerators({ name: "X", discrete: [[1] as never] })).toThrow(
      /not a Matrix/,
    );
    expect(() => groupFromGenerators({ name: "X" })).toThrow(/needs generators or an integer d/);
    expect(() => groupFromGenerators({ name: "", d: 2 })).toThrow(/non-empty name/);
    expect(() => groupFromGenerators({ name: "X", lie: [rot90], finite: true })).toThrow(
      /never finite/,
    );
    expect(() => groupFromGenerators({ name: "X", lie: [rot90], lieScale: [1, 2] })).toThrow(
      /lieScale/,
    );
    const trivial = groupFromGenerators({ name: "Nothing", d: 3 });
    expect(trivial.isPermutation).toBe(true);
    expect(trivial.order()).toBe(1n);
  });
});

describe("argument checks and helpers", () => {
  it("family parameters out of range give typed errors that say what to do", () => {
    expect(() => SO(0)).toThrow(InvalidArgumentError);
    expect(() => SO(0)).toThrow(/SO\(n\): n must be >= 1, got 0/);
    expect(() => SO(2.5)).toThrow(/must be an integer/);
    expect(() => O(1000)).toThrow(LimitExceededError);
    expect(() => O(1000)).toThrow(/groupFromGenerators/);
    expect(() => Sp(0)).toThrow(InvalidArgumentError);
    expect(() => S(-1)).toThrow(InvalidArgumentError);
    expect(() => Trivial(Number.NaN)).toThrow(InvalidArgumentError);
    expect(() => ZksZnxZn(3, 3)).toThrow(/k must be 2 or 4/);
    expect(() => O(0, 0)).toThrow(/p \+ q >= 1/);
  });

  it("isGroup recognises groups structurally; isIdentity checks exactly or within tol", () => {
    expect(isGroup(SO(3))).toBe(true);
    expect(isGroup({ name: "SO(3)" })).toBe(false);
    expect(isGroup(null)).toBe(false);
    expect(isIdentity(Matrix.identity(3))).toBe(true);
    expect(isIdentity(Matrix.diag([1, 1 + 1e-12]))).toBe(false);
    expect(isIdentity(Matrix.diag([1, 1 + 1e-12]), 1e-9)).toBe(true);
    expect(isIdentity(new Matrix(2, 3))).toBe(false);
  });

  it("generators of large families are built lazily", () => {
    const t = performance.now();
    const g = S(4000);
    expect(g.order()).toBeGreaterThan(10n ** 100n);
    expect(g.permutationGenerators).toHaveLength(2);
    expect(performance.now() - t).toBeLessThan(1000);
  });
});
