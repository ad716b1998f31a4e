import { LimitExceededError, Rng } from "@isotropy/core";
import { Matrix } from "@isotropy/linalg";
import { describe, expect, it } from "vitest";
import {
  A,
  C,
  Cube,
  D,
  type Group,
  isIdentity,
  type MatrixGroup,
  RUBIKS_CUBE_ORDER,
  RubiksCube,
  S,
  StabilizerChain,
  Trivial,
  Z,
  ZksZnxZn,
} from "../src/index.js";
import { determinant } from "../src/matrix-utils.js";
import { indexAmong, isAmong } from "./helpers.js";

const small: [string, () => Group, bigint][] = [
  ["Trivial(3)", () => Trivial(3), 1n],
  ["Z(5)", () => Z(5), 5n],
  ["Z(1)", () => Z(1), 1n],
  ["C(4)", () => C(4), 4n],
  ["C(7)", () => C(7), 7n],
  ["D(4)", () => D(4), 8n],
  ["D(6)", () => D(6), 12n],
  ["D(1)", () => D(1), 2n],
  ["S(1)", () => S(1), 1n],
  ["S(2)", () => S(2), 2n],
  ["S(4)", () => S(4), 24n],
  ["S(5)", () => S(5), 120n],
  ["A(3)", () => A(3), 3n],
  ["A(4)", () => A(4), 12n],
  ["A(5)", () => A(5), 60n],
  ["Cube", () => Cube(), 24n],
  ["ZksZnxZn(2,3)", () => ZksZnxZn(2, 3), 18n],
  ["ZksZnxZn(4,3)", () => ZksZnxZn(4, 3), 36n],
  ["ZksZnxZn(4,2)", () => ZksZnxZn(4, 2), 16n],
];

describe("finite groups", () => {
  it.each(small)("%s: order() is the known order and equals elements().length", (name, make, n) => {
    const g = make();
    expect(g.name).toBe(name);
    expect(g.isFinite).toBe(true);
    expect(g.lieGenerators).toHaveLength(0);
    expect(g.order()).toBe(n);
    const els = g.elements();
    expect(els.length).toBe(Number(n));
    expect(isIdentity(els[0]!)).toBe(true);
    // distinct, and closed under the generators
    for (let i = 0; i < els.length; i++) {
      for (let j = 0; j < i; j++) expect(els[i]!.maxAbsDiff(els[j]!)).toBeGreaterThan(1e-6);
    }
    for (const e of els)
      for (const h of g.discreteGenerators) expect(isAmong(e.mul(h), els)).toBe(true);
  });

  it.each(small)("%s: generators are orthogonal d x d, samples are elements", (_name, make) => {
    const g = make();
    expect(g.isOrthogonal).toBe(true);
    for (const h of g.discreteGenerators) {
      expect([h.rows, h.cols]).toEqual([g.d, g.d]);
      expect(isIdentity(h.transpose().mul(h), 1e-12)).toBe(true);
    }
    const els = g.elements();
    const rng = new Rng(7);
    for (let k = 0; k < 20; k++) expect(isAmong(g.sample(rng), els)).toBe(true);
  });

  it("permutation generators match the matrices: (P x)_i = x[p[i]]", () => {
    for (const g of [Z(5), S(5), A(5), Cube(), ZksZnxZn(4, 3), RubiksCube(), Trivial(2)]) {
      expect(g.isPermutation).toBe(true);
      const perms = g.permutationGenerators!;
      expect(perms).toHaveLength(g.discreteGenerators.length);
      perms.forEach((p, i) => {
        expect(g.discreteGenerators[i]!.maxAbsDiff(Matrix.permutation(p))).toBe(0);
      });
    }
    for (const g of [C(4), D(4)]) expect(g.isPermutation).toBe(false);
  });

  it("Z(n) shifts as emlp's roll: (g x)_i = x[i - 1]", () => {
    const x = [10, 11, 12, 13];
    expect(Array.from(Z(4).discreteGenerators[0]!.matvec(x))).toEqual([13, 10, 11, 12]);
  });

  it("C(k) and D(k) follow emlp's rotation [[cos, sin], [-sin, cos]] and reflection diag(-1, 1)", () => {
    const t = (2 * Math.PI) / 5;
    const r = D(5).discreteGenerators[0]!;
    expect(
      r.maxAbsDiff(
        Matrix.fromRows([
          [Math.cos(t), Math.sin(t)],
          [-Math.sin(t), Math.cos(t)],
        ]),
      ),
    ).toBeLessThan(1e-15);
    expect(D(5).discreteGenerators[1]!.toArray()).toEqual([
      [-1, 0],
      [0, 1],
    ]);
    // quarter turns are exact
    expect(C(4).discreteGenerators[0]!.toArray()).toEqual([
      [0, 1],
      [-1, 0],
    ]);
  });

  it("S(n) uses the two standard generators, A(n) the 3-cycles (0 1 i), all even", () => {
    expect(S(6).discreteGenerators).toHaveLength(2);
    expect(A(6).discreteGenerators).toHaveLength(4);
    for (const h of A(6).discreteGenerators) expect(determinant(h)).toBeCloseTo(1, 12);
    const rng = new Rng(3);
    for (let k = 0; k < 50; k++) expect(determinant(A(7).sample(rng))).toBeCloseTo(1, 12);
  });

  it("larger orders by formula: S(10) = 10!, A(8) = 8!/2, Z(1000)", () => {
    expect(S(10).order()).toBe(3628800n);
    expect(A(8).order()).toBe(20160n);
    expect(Z(1000).order()).toBe(1000n);
    expect(S(25).order()).toBe(15511210043330985984000000n);
  });

  it("samples of S(3), Cube and ZksZnxZn(2,2) are uniform", () => {
    const rng = new Rng(11);
    for (const g of [S(3), Cube(), ZksZnxZn(2, 2), D(3)]) {
      const els = g.elements();
      const counts = new Array(els.length).fill(0);
      const n = 200 * els.length;
      for (let k = 0; k < n; k++) counts[indexAmong(g.sample(rng), els)]++;
      // each count ~ Binomial(n, 1/|G|): mean 200, sd < 14.2
      for (const c of counts) expect(Math.abs(c - 200)).toBeLessThan(70);
    }
  });

  it("elements() refuses past the limit with LimitExceededError that says how to raise it", () => {
    expect(() => S(8).elements()).toThrow(LimitExceededError);
    expect(() => S(8).elements()).toThrow(/pass a larger limit/);
    expect(S(8).elements(40320)).toHaveLength(40320);
    expect(() => S(5).elements(100)).toThrow(LimitExceededError);
  });
});

describe("Rubik's cube", () => {
  const cube = RubiksCube();

  it("has six quarter turns of order 4, each moving 20 facelets", () => {
    expect(cube.d).toBe(48);
    expect(cube.discreteGenerators).toHaveLength(6);
    for (const h of cube.discreteGenerators) {
      let moved = 0;
      for (let i = 0; i < 48; i++) if (h.get(i, i) !== 1) moved++;
      expect(moved).toBe(20);
      let p = h;
      for (let k = 1; k < 4; k++) {
        expect(isIdentity(p)).toBe(false);
        p = p.mul(h);
      }
      expect(isIdentity(p)).toBe(true);
    }
  });

  it("order() is 43252003274489856000, and Schreier-Sims computes the same from the generators", () => {
    expect(cube.order()).toBe(43252003274489856000n);
    expect(RUBIKS_CUBE_ORDER).toBe(43252003274489856000n);
    const chain = new StabilizerChain(48, cube.permutationGenerators!);
    expect(chain.order()).toBe(43252003274489856000n);
  });

  it("elements() throws LimitExceededError; samples are group elements", () => {
    expect(() => cube.elements()).toThrow(LimitExceededError);
    const chain = (cube as MatrixGroup).chain();
    const rng = new Rng(5);
    const a = cube.sample(rng);
    const b = cube.sample(rng);
    expect(a.maxAbsDiff(b)).toBe(1);
    for (const g of [a, b]) {
      const p = new Int32Array(48);
      for (let i = 0; i < 48; i++) for (let j = 0; j < 48; j++) if (g.get(i, j) === 1) p[i] = j;
      expect(chain.contains(p)).toBe(true);
    }
    // a single swap of two facelets is not a cube move
    const swap = new Int32Array(48).map((_, i) => i);
    swap[0] = 1;
    swap[1] = 0;
    expect(chain.contains(swap)).toBe(false);
  });
});
