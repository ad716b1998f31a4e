import { type Rng, rng } from "@isotropy/core";
import { C, Cube, D, type Group, S, StabilizerChain, Trivial, Z } from "@isotropy/groups";
import { Matrix } from "@isotropy/linalg";
import { type Rep, T, V } from "@isotropy/reps";
import { describe, expect, it } from "vitest";
import { canonicalize, isGeneric, orbit, orbitSize, orbitType, stabilizer } from "../src/index.js";
import { cycle, randomGraph } from "./graphs.js";
import {
  act,
  bruteForceStabilizer,
  maxDiff,
  pointMajor,
  randomInts,
  regularPolygon,
} from "./helpers.js";

interface Case {
  group: Group;
  rep: Rep;
  x: Float64Array;
  label: string;
}

/** A random finite group among S(n), Z(n), D(k), C(k), a rep, and a generic or symmetric input. */
function randomCase(r: Rng): Case {
  const which = r.int(4);
  if (which <= 1) {
    const n = 3 + r.int(3);
    const group = which === 0 ? S(n) : Z(n);
    const kind = r.int(4);
    if (kind === 0)
      return {
        group,
        rep: V(group),
        x: randomInts(n, 1 + r.int(n), r),
        label: `${group.name} V ints`,
      };
    if (kind === 1)
      return {
        group,
        rep: V(group).times(2),
        x: randomInts(2 * n, 2, r),
        label: `${group.name} 2V`,
      };
    const graph = kind === 2 ? cycle(n) : randomGraph(n, 0.5, r);
    if (r.int(2) === 0) for (let i = 0; i < n * n; i++) graph[i] = graph[i]! * (1 + r.normal());
    return { group, rep: T(group, 2), x: graph, label: `${group.name} T(2)` };
  }
  const k = 2 + r.int(6);
  const group = which === 2 ? D(k) : C(k);
  const kind = r.int(4);
  if (kind === 0)
    return { group, rep: V(group), x: r.normals(2), label: `${group.name} V generic` };
  if (kind === 1) {
    // A point on a mirror line of D(k) (the y axis is fixed by diag(-1, 1)).
    return {
      group,
      rep: V(group),
      x: Float64Array.of(0, 1 + r.uniform()),
      label: `${group.name} V axis`,
    };
  }
  if (kind === 2) {
    const pts = regularPolygon(3, 1, r.uniform());
    return { group, rep: V(group).times(3), x: pointMajor(pts), label: `${group.name} 3V` };
  }
  const a = r.normal();
  const b = r.int(2) === 0 ? a : r.normal();
  return {
    group,
    rep: T(group, 2),
    x: Float64Array.of(a, 0, 0, b),
    label: `${group.name} T(2) diag`,
  };
}

describe("stabilizers of finite groups: property tests", () => {
  it("(a) elements fix x, (b) orders match brute force, (d) |orbit| |Stab| = |G|", () => {
    const r = rng(2024);
    for (let t = 0; t < 120; t++) {
      const { group, rep, x, label } = randomCase(r);
      const st = stabilizer(group, rep, x);
      const brute = bruteForceStabilizer(group, rep, x);
      expect(st.order, label).toBe(BigInt(brute.length));
      const elements = st.elements();
      expect(elements.length, label).toBe(brute.length);
      for (const g of elements) expect(st.fixes(g), label).toBe(true);
      for (const g of st.generators) expect(maxDiff(act(rep, g, x), x), label).toBeLessThan(1e-9);
      const orb = orbit(group, rep, x);
      expect(BigInt(orb.length) * st.order!, label).toBe(group.order());
      expect(orbitSize(group, rep, x), label).toBe(BigInt(orb.length));
      expect(maxDiff(orb[0]!, x), label).toBe(0);
      // Orbit points are distinct and each is an image of x.
      for (let i = 1; i < orb.length; i++) expect(maxDiff(orb[i]!, orb[0]!)).toBeGreaterThan(1e-9);
      expect(isGeneric(group, rep, x), label).toBe(brute.length === 1);
    }
  });

  it("S(n) on vectors: the product of the symmetric groups of equal entries", () => {
    const G = S(7);
    const x = Float64Array.of(3, 1, 3, 2, 3, 1, 5);
    const st = stabilizer(G, V(G), x);
    expect(st.method).toBe("colour-classes");
    expect(st.order).toBe(6n * 2n);
    expect(st.orbits).toEqual([[0, 2, 4], [1, 5], [3], [6]]);
    const big = S(200);
    const y = Float64Array.from({ length: 200 }, (_, i) => i % 4);
    expect(stabilizer(big, V(big), y).order).toBe(factorial(50) ** 4n);
  });

  it("S(n) on point sets (k*V): points that coincide are interchangeable", () => {
    const n = 6;
    const G = S(n);
    const r = rng(5);
    const pts = [r.normals(n), r.normals(n)];
    // Make points 1 and 4 coincide, and 2, 3, 5 coincide.
    for (const p of pts) {
      p[4] = p[1]!;
      p[3] = p[2]!;
      p[5] = p[2]!;
    }
    const x = new Float64Array(2 * n);
    x.set(pts[0]!, 0);
    x.set(pts[1]!, n);
    const st = stabilizer(G, V(G).times(2), x);
    expect(st.order).toBe(12n);
    expect(st.orbits).toEqual([[0], [1, 4], [2, 3, 5]]);
  });

  it("the search's base-and-strong-generators order agrees with Schreier-Sims", () => {
    const r = rng(11);
    for (let t = 0; t < 20; t++) {
      const n = 5 + r.int(10);
      const a = randomGraph(n, r.uniform(), r);
      const G = S(n);
      const st = stabilizer(G, T(G, 2), a);
      expect(st.order).toBe(new StabilizerChain(n, st.permutations!).order());
      for (let s = 0; s < 3; s++) expect(st.fixes(st.sample(r))).toBe(true);
    }
  });

  it("orbit walks large permutation groups by generators (S(8) on a graph)", () => {
    const n = 8;
    const G = S(n);
    const a = cycle(n);
    const orb = orbit(G, T(G, 2), a);
    expect(orb.length).toBe(40320 / 16);
    const ot = orbitType(G, T(G, 2), a);
    expect(ot.stabilizerOrder).toBe(16n);
    expect(ot.orbitSize).toBe(2520n);
    expect(ot.lieDimension).toBe(0);
    expect(ot.isGeneric).toBe(false);
  });

  it("tensor leaves of order 3, other permutation groups and trivial sizes", () => {
    const r = rng(19);
    for (let t = 0; t < 6; t++) {
      const n = 4 + r.int(2);
      const G = S(n);
      const rep = T(G, 3);
      // A sparse 0/1 three-way tensor, symmetrised half of the time.
      const x = Float64Array.from({ length: n ** 3 }, () => (r.uniform() < 0.15 ? 1 : 0));
      const st = stabilizer(G, rep, x);
      expect(st.order).toBe(BigInt(bruteForceStabilizer(G, rep, x).length));
      for (const g of st.generators) expect(st.fixes(g)).toBe(true);
      const c = canonicalize(G, rep, x);
      const p = Matrix.permutation(r.permutation(n));
      const c2 = canonicalize(G, rep, act(rep, p, x));
      expect(maxDiff(c.canonical, c2.canonical)).toBe(0);
    }
    const cube = Cube();
    const faces = Float64Array.of(1, 2, 2, 2, 2, 1); // U and D marked: the 8 symmetries of the axis
    expect(stabilizer(cube, V(cube), faces).order).toBe(8n);
    expect(stabilizer(cube, V(cube), faces).order).toBe(
      BigInt(bruteForceStabilizer(cube, V(cube), faces).length),
    );
    const one = S(1);
    expect(stabilizer(one, T(one, 2), [3]).order).toBe(1n);
    const triv = Trivial(5);
    expect(stabilizer(triv, V(triv), new Float64Array(5)).order).toBe(1n);
  });

  it("Z(n) and D(k) stabilizers by enumeration match their actions", () => {
    const G = D(6);
    // The identity matrix in T(2) is fixed by every orthogonal matrix.
    expect(stabilizer(G, T(G, 2), Float64Array.of(1, 0, 0, 1)).order).toBe(12n);
    // diag(1, 2): the four elements that are diagonal (I, -I, and the two axis reflections).
    expect(stabilizer(G, T(G, 2), Float64Array.of(1, 0, 0, 2)).order).toBe(4n);
    const Zn = Z(6);
    expect(stabilizer(Zn, V(Zn), Float64Array.of(1, 2, 1, 2, 1, 2)).order).toBe(3n);
  });
});

function factorial(n: number): bigint {
  let f = 1n;
  for (let i = 2; i <= n; i++) f *= BigInt(i);
  return f;
}
