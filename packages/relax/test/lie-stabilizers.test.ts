import { rng } from "@isotropy/core";
import { directProduct, O, S, SL, SO } from "@isotropy/groups";
import { Matrix } from "@isotropy/linalg";
import { Scalar, T, V } from "@isotropy/reps";
import { describe, expect, it } from "vitest";
import { isGeneric, stabilizer } from "../src/index.js";
import {
  coordinateMajor,
  inSpace,
  maxDiff,
  norm,
  pointMajor,
  randomPoints,
  regularPolygon,
} from "./helpers.js";

const tetrahedron = [
  [1, 1, 1],
  [1, -1, -1],
  [-1, 1, -1],
  [-1, -1, 1],
].map((p) => Float64Array.from(p));

const cube = [0, 1, 2, 3, 4, 5, 6, 7].map((i) =>
  Float64Array.of(i & 1 ? 1 : -1, i & 2 ? 1 : -1, i & 4 ? 1 : -1),
);

describe("Lie algebra of the stabilizer", () => {
  it("SO(3): one vector -> dimension 1, two independent -> 0, zero -> 3", () => {
    const G = SO(3);
    const r = rng(1);
    for (let t = 0; t < 10; t++) {
      const v = r.normals(3);
      const one = stabilizer(G, V(G), v);
      expect(one.algebra.dimension).toBe(1);
      // The algebra element is the rotation about v: it kills v.
      const a = one.algebra.basis[0]!;
      expect(norm(a.matvec(v))).toBeLessThan(1e-9 * norm(v));
      const two = stabilizer(G, V(G).times(2), pointMajor([v, r.normals(3)]));
      expect(two.algebra.dimension).toBe(0);
      expect(two.isTrivial).toBe(true);
    }
    expect(stabilizer(G, V(G), new Float64Array(3)).algebra.dimension).toBe(3);
    // Two parallel vectors are one direction.
    const v = r.normals(3);
    expect(
      stabilizer(G, V(G).times(2), pointMajor([v, v.map((t) => -2 * t)])).algebra.dimension,
    ).toBe(1);
  });

  it("T(2) of SO(3): symmetric matrices by their eigenvalue multiplicities", () => {
    const G = SO(3);
    const q = G.sample(rng(4));
    const conj = (d: number[]) => q.mul(Matrix.diag(d)).mul(q.transpose()).data;
    expect(stabilizer(G, T(G, 2), conj([1, 2, 3])).algebra.dimension).toBe(0);
    expect(stabilizer(G, T(G, 2), conj([1, 1, 3])).algebra.dimension).toBe(1);
    expect(stabilizer(G, T(G, 2), conj([2, 2, 2])).algebra.dimension).toBe(3);
    // Generic discrete part: only discrete generators are tested, and SO(3) has none.
    const st = stabilizer(G, T(G, 2), conj([1, 2, 3]));
    expect(st.discreteComplete).toBe(false);
    expect(st.order).toBeNull();
  });

  it("O(n) on tuples of points: exact discrete part (reflection across the span)", () => {
    const r = rng(9);
    const O3 = O(3);
    // Planar point set in O(3): the reflection in its plane, order 2.
    const planar = inSpace(regularPolygon(5, 1, 0.3));
    const st = stabilizer(O3, V(O3).times(5), pointMajor(planar));
    expect(st.algebra.dimension).toBe(0);
    expect(st.order).toBe(2n);
    const [refl] = st.generators;
    expect(maxDiff(refl!.data, Matrix.diag([1, 1, -1]).data)).toBeLessThan(1e-9);
    for (const g of st.elements()) expect(st.fixes(g)).toBe(true);
    // In SO(3) the same set has trivial stabilizer.
    const SO3 = SO(3);
    expect(stabilizer(SO3, V(SO3).times(5), pointMajor(planar)).isTrivial).toBe(true);
    // Collinear points in O(3): O(2) about the line (dimension 1, a second component).
    const v = r.normals(3);
    const line = stabilizer(O3, V(O3).times(2), pointMajor([v, v.map((t) => 3 * t)]));
    expect(line.algebra.dimension).toBe(1);
    expect(line.order).toBeNull();
    expect(line.generators.length).toBe(1);
    for (let t = 0; t < 5; t++) expect(line.fixes(line.sample(r))).toBe(true);
    // Generic triple in O(3): trivial.
    expect(isGeneric(O3, V(O3).times(3), pointMajor(randomPoints(3, 3, r)))).toBe(true);
    // O(2) regular polygon as an ordered tuple: trivial (points are labelled).
    const O2 = O(2);
    expect(stabilizer(O2, V(O2).times(6), pointMajor(regularPolygon(6))).isTrivial).toBe(true);
  });

  it("Lie groups without a closed form report which discrete generators fix x", () => {
    const G = O(1, 3);
    const st = stabilizer(G, V(G), Float64Array.of(1, 0, 0, 0));
    // A time-like vector is fixed by SO(3) (dimension 3) and by the space reflection P.
    expect(st.algebra.dimension).toBe(3);
    expect(st.discreteComplete).toBe(false);
    expect(st.generators.length).toBe(1);
    expect(st.fixes(st.generators[0]!)).toBe(true);
    const sl = SL(2);
    expect(stabilizer(sl, V(sl), Float64Array.of(1, 0)).algebra.dimension).toBe(1);
  });

  it("scalars are fixed by everything", () => {
    const G = SO(3);
    expect(stabilizer(G, Scalar(G), [2.5]).algebra.dimension).toBe(3);
  });
});

describe("point clouds: O(n) x S(k) and SO(n) x S(k)", () => {
  const cloud = (n: number, k: number, special: boolean) => {
    const G = directProduct(special ? SO(n) : O(n), S(k));
    return { G, rep: V(G, 0).tensor(V(G, 1)) };
  };

  it("regular k-gons: D_k in O(2) x S(k), C_k in SO(2) x S(k)", () => {
    for (let k = 3; k <= 9; k++) {
      const x = coordinateMajor(regularPolygon(k, 1.5, 0.7));
      const o = cloud(2, k, false);
      const st = stabilizer(o.G, o.rep, x);
      expect(st.order).toBe(BigInt(2 * k));
      expect(st.orbits!.length).toBe(1);
      for (const g of st.elements()) expect(st.fixes(g)).toBe(true);
      const s = cloud(2, k, true);
      const st2 = stabilizer(s.G, s.rep, x);
      expect(st2.order).toBe(BigInt(k));
      for (const g of st2.elements()) expect(st2.fixes(g)).toBe(true);
    }
  });

  it("the other layout (V[S] ⊗ V[O]) and an extra scalar work the same", () => {
    const k = 5;
    const G = directProduct(S(k), O(2));
    const rep = V(G, 0).tensor(V(G, 1)).plus(Scalar(G));
    const pts = regularPolygon(k);
    const x = new Float64Array(2 * k + 1);
    pts.forEach((p, i) => {
      x.set(p, 2 * i);
    });
    x[2 * k] = 7;
    const st = stabilizer(G, rep, x);
    expect(st.order).toBe(10n);
    for (const g of st.elements()) expect(st.fixes(g)).toBe(true);
  });

  it("tetrahedron 24 / 12, cube 48 / 24, planar square in space 16 / 8, generic 1", () => {
    const cases: [Float64Array[], bigint, bigint][] = [
      [tetrahedron, 24n, 12n],
      [cube, 48n, 24n],
      [inSpace(regularPolygon(4)), 16n, 8n],
      [randomPoints(6, 3, rng(5)), 1n, 1n],
    ];
    for (const [pts, oOrder, soOrder] of cases) {
      const x = coordinateMajor(pts);
      const o = cloud(3, pts.length, false);
      const st = stabilizer(o.G, o.rep, x);
      expect(st.order).toBe(oOrder);
      for (const g of st.elements()) expect(st.fixes(g)).toBe(true);
      const s = cloud(3, pts.length, true);
      const st2 = stabilizer(s.G, s.rep, x);
      expect(st2.order).toBe(soOrder);
      for (const g of st2.elements()) expect(st2.fixes(g)).toBe(true);
      const r = rng(1);
      for (let t = 0; t < 5; t++) expect(st2.fixes(st2.sample(r))).toBe(true);
    }
  });

  it("collinear clouds in the plane keep the reflection across their line; in space a Lie part", () => {
    const pts = [-1, 0, 2].map((t) => Float64Array.of(t, 0));
    const o = cloud(2, 3, false);
    expect(stabilizer(o.G, o.rep, coordinateMajor(pts)).order).toBe(2n);
    const o3 = cloud(3, 3, false);
    const st = stabilizer(
      o3.G,
      o3.rep,
      coordinateMajor(pts.map((p) => Float64Array.of(p[0]!, 0, 0))),
    );
    expect(st.algebra.dimension).toBe(1);
    expect(st.order).toBeNull();
  });
});
