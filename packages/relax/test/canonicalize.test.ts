import { type Rng, rng } from "@isotropy/core";
import { C, D, directProduct, type Group, O, S, SO, Z } from "@isotropy/groups";
import { inverse as linalgInverse, Matrix } from "@isotropy/linalg";
import { type Rep, T, V } from "@isotropy/reps";
import { describe, expect, it } from "vitest";
import { type Canonicalization, canonicalize } from "../src/index.js";
import {
  completeBipartite,
  cycle,
  hypercube,
  petersen,
  randomGraph,
  rook,
  shrikhande,
  torus,
} from "./graphs.js";
import {
  act,
  coordinateMajor,
  inSpace,
  maxDiff,
  norm,
  pointMajor,
  randomInts,
  randomPoints,
  regularPolygon,
} from "./helpers.js";

function inverse(group: Group, g: Matrix): Matrix {
  return group.isOrthogonal ? g.transpose() : linalgInverse(g);
}

/**
 * The canonicalization law for one g: canonical(g x) = canonical(x) (to `eps` relative), x =
 * rho(frame) canonical, and frame(g x) ∈ g frame(x) Stab(canonical), i.e.
 * h = frame(x)^-1 g^-1 frame(g x) fixes the canonical form.
 */
function checkLaw(group: Group, rep: Rep, x: Float64Array, g: Matrix, eps: number, label: string) {
  const cx = canonicalize(group, rep, x);
  const gx = act(rep, g, x);
  const cgx = canonicalize(group, rep, gx);
  const scale = Math.max(norm(x), 1);
  expect(maxDiff(cgx.canonical, cx.canonical), label).toBeLessThanOrEqual(eps * scale);
  expect(maxDiff(act(rep, cx.frame, cx.canonical), x), label).toBeLessThanOrEqual(1e-9 * scale);
  const h = inverse(group, cx.frame).mul(inverse(group, g)).mul(cgx.frame);
  expect(cx.stabilizer.fixes(h), label).toBe(true);
  return cx;
}

function checkStabilizerOfCanonical(c: Canonicalization, rep: Rep) {
  for (const g of c.stabilizer.generators) {
    expect(maxDiff(act(rep, g, c.canonical), c.canonical)).toBeLessThan(
      1e-6 * Math.max(1, norm(c.canonical)),
    );
  }
}

describe("canonical labelling of graphs (S(n) on T(2))", () => {
  const families: [string, number, Float64Array][] = [
    ["C_32", 32, cycle(32)],
    ["Q_5", 32, hypercube(5)],
    ["Petersen", 10, petersen()],
    ["K_{4,4}", 8, completeBipartite(4, 4)],
    ["4x4 torus", 16, torus(4, 4)],
    ["4x8 torus", 32, torus(4, 8)],
    ["Shrikhande", 16, shrikhande()],
  ];
  for (const [name, n, a] of families) {
    it(`${name}: relabelled copies get the same canonical form`, () => {
      const G = S(n);
      const rep = T(G, 2);
      const r = rng(n + 1);
      for (let t = 0; t < 4; t++) {
        const g = Matrix.permutation(r.permutation(n));
        const c = checkLaw(G, rep, a, g, 0, name);
        expect(c.method).toBe("canonical-labelling");
        checkStabilizerOfCanonical(c, rep);
      }
    });
  }

  it("isomorphic graphs meet, non-isomorphic ones (same parameters) do not", () => {
    const G = S(16);
    const rep = T(G, 2);
    const torus44 = canonicalize(G, rep, torus(4, 4)).canonical;
    const q4 = canonicalize(G, rep, hypercube(4)).canonical;
    expect(maxDiff(torus44, q4)).toBe(0); // C4 □ C4 ≅ Q4
    // Shrikhande and K4 □ K4 are both strongly regular (16, 6, 2, 2) but not isomorphic.
    const sh = canonicalize(G, rep, shrikhande()).canonical;
    const rk = canonicalize(G, rep, rook(4)).canonical;
    expect(maxDiff(sh, rk)).toBe(1);
  });

  it("random graphs, weighted graphs and V + T(2) inputs", () => {
    const r = rng(77);
    for (let t = 0; t < 30; t++) {
      const n = 3 + r.int(14);
      const G = S(n);
      const kind = t % 3;
      let rep: Rep = T(G, 2);
      let x = randomGraph(n, r.uniform(), r);
      if (kind === 1) x = x.map((v) => v * (1 + r.int(3)));
      if (kind === 2) {
        rep = V(G).plus(T(G, 2));
        const y = new Float64Array(n + n * n);
        y.set(randomInts(n, 2, r), 0);
        y.set(x, n);
        x = y;
      }
      const g = Matrix.permutation(r.permutation(n));
      checkLaw(G, rep, x, g, 0, `random graph ${t}`);
    }
  });

  it("Z(n) on graphs: the least image over the rotations", () => {
    const n = 7;
    const G = Z(n);
    const r = rng(3);
    const x = randomGraph(n, 0.5, r);
    for (const g of G.elements()) {
      const c = checkLaw(G, T(G, 2), x, g, 0, "Z(7)");
      expect(c.method).toBe("least-image");
    }
  });
});

describe("S(n) on vectors and point sets", () => {
  it("sorting with ties broken by index satisfies the law", () => {
    const r = rng(12);
    for (let t = 0; t < 30; t++) {
      const n = 2 + r.int(10);
      const G = S(n);
      const k = 1 + r.int(3);
      const rep = V(G).times(k);
      const x = randomInts(n * k, 1 + r.int(3), r);
      const c = checkLaw(G, rep, x, Matrix.permutation(r.permutation(n)), 0, "S(n) k*V");
      expect(c.method).toBe("sort");
    }
    const G = S(5);
    const c = canonicalize(G, V(G), [3, 1, 2, 1, 0]);
    expect(Array.from(c.canonical)).toEqual([0, 1, 1, 2, 3]);
    expect(Array.from(c.permutation!)).toEqual([4, 1, 3, 2, 0]);
  });
});

/** Random groups among O(2), O(3), SO(3), SO(2) and inputs generic or degenerate. */
function orthogonalCases(r: Rng): { group: Group; rep: Rep; x: Float64Array; label: string }[] {
  const out = [];
  for (const group of [O(2), O(3), SO(3), SO(2)]) {
    const n = group.d;
    const lift = (pts: Float64Array[]) => (n === 3 ? inSpace(pts) : pts);
    const configs: [string, Float64Array[]][] = [
      ["generic", randomPoints(1 + r.int(6), n, r)],
      ["regular polygon", lift(regularPolygon(3 + r.int(5), 1 + r.uniform(), r.uniform()))],
      ["single point", randomPoints(1, n, r)],
      ["zero", [new Float64Array(n), new Float64Array(n)]],
      [
        "repeated",
        (() => {
          const p = r.normals(n);
          return [p, p, p];
        })(),
      ],
      [
        "collinear",
        (() => {
          const p = r.normals(n);
          return [p, p.map((v) => -0.5 * v), p.map((v) => 2 * v)];
        })(),
      ],
    ];
    for (const [name, pts] of configs) {
      out.push({
        group,
        rep: V(group).times(pts.length),
        x: pointMajor(pts),
        label: `${group.name} ${name}`,
      });
    }
  }
  return out;
}

describe("O(n)/SO(n) frames for tuples of points", () => {
  it("canonical(g x) = canonical(x) and frame(g x) ∈ g frame(x) Stab for random g", () => {
    const r = rng(31);
    for (let round = 0; round < 3; round++) {
      for (const { group, rep, x, label } of orthogonalCases(r)) {
        for (let t = 0; t < 4; t++) {
          const c = checkLaw(group, rep, x, group.sample(r), 1e-9, label);
          expect(c.method).toBe("orthogonal-frame");
        }
      }
    }
  });

  it("frames are group elements: orthogonal, det +1 for SO(n)", () => {
    const r = rng(8);
    for (const group of [O(3), SO(3), SO(2)]) {
      for (let k = 1; k <= 4; k++) {
        const x = pointMajor(randomPoints(k, group.d, r));
        const { frame } = canonicalize(group, V(group).times(k), x);
        expect(
          maxDiff(frame.transpose().mul(frame).data, Matrix.identity(group.d).data),
        ).toBeLessThan(1e-12);
        if (group.name.startsWith("SO")) {
          const d =
            group.d === 2
              ? frame.get(0, 0) * frame.get(1, 1) - frame.get(0, 1) * frame.get(1, 0)
              : det3(frame);
          expect(d).toBeCloseTo(1, 12);
        }
      }
    }
  });
});

function det3(m: Matrix): number {
  const a = (i: number, j: number) => m.get(i, j);
  return (
    a(0, 0) * (a(1, 1) * a(2, 2) - a(1, 2) * a(2, 1)) -
    a(0, 1) * (a(1, 0) * a(2, 2) - a(1, 2) * a(2, 0)) +
    a(0, 2) * (a(1, 0) * a(2, 1) - a(1, 1) * a(2, 0))
  );
}

describe("finite matrix groups: least image", () => {
  it("D(k), C(k) on k*V and T(2): law for every element", () => {
    const r = rng(41);
    for (let t = 0; t < 12; t++) {
      const k = 2 + r.int(6);
      const group = t % 2 === 0 ? D(k) : C(k);
      const pts = t % 4 < 2 ? randomPoints(2, 2, r) : regularPolygon(k, 1, 0);
      const rep = V(group).times(pts.length);
      const x = pointMajor(pts);
      for (const g of group.elements()) {
        const c = checkLaw(group, rep, x, g, 1e-9, `${group.name}`);
        expect(c.method).toBe("least-image");
      }
      const tx = Float64Array.of(1, 0, 0, 1 + r.int(2));
      for (const g of group.elements())
        checkLaw(group, T(group, 2), tx, g, 1e-9, `${group.name} T(2)`);
    }
  });
});

describe("point clouds: O(n)/SO(n) x S(k)", () => {
  it("regular polygons, symmetric solids and random clouds", () => {
    const r = rng(53);
    const clouds: Float64Array[][] = [
      regularPolygon(3),
      regularPolygon(4, 2, 0.1),
      regularPolygon(7, 1, 1.3),
      randomPoints(5, 2, r),
      inSpace(regularPolygon(6)),
      [
        [1, 1, 1],
        [1, -1, -1],
        [-1, 1, -1],
        [-1, -1, 1],
      ].map((p) => Float64Array.from(p)),
      randomPoints(6, 3, r),
      // Two coincident points and a collinear triple.
      [Float64Array.of(1, 0), Float64Array.of(1, 0), Float64Array.of(-2, 0)],
    ];
    for (const pts of clouds) {
      const n = pts[0]!.length;
      const k = pts.length;
      for (const special of [false, true]) {
        const G = directProduct(special ? SO(n) : O(n), S(k));
        const rep = V(G, 0).tensor(V(G, 1));
        const x = coordinateMajor(pts);
        for (let t = 0; t < 5; t++) {
          const c = checkLaw(G, rep, x, G.sample(r), 1e-9, `${G.name} k=${k}`);
          expect(c.method).toBe("point-cloud");
          checkStabilizerOfCanonical(c, rep);
        }
      }
    }
  });
});
