import { rng } from "@isotropy/core";
import { permMul, S, Z } from "@isotropy/groups";
import { Matrix } from "@isotropy/linalg";
import { T } from "@isotropy/reps";
import { describe, expect, it } from "vitest";
import { stabilizer } from "../src/index.js";
import {
  bruteForceAutomorphisms,
  complete,
  completeBipartite,
  cycle,
  hypercube,
  petersen,
  randomGraph,
  relabel,
  rook,
  shrikhande,
  torus,
} from "./graphs.js";

function graphStabilizer(a: Float64Array, n: number) {
  const G = S(n);
  return stabilizer(G, T(G, 2), a);
}

describe("graph automorphisms (S(n) on T(2))", () => {
  const families: [string, number, () => Float64Array, bigint, boolean][] = [
    ["C_5", 5, () => cycle(5), 10n, true],
    ["C_12", 12, () => cycle(12), 24n, true],
    ["C_32", 32, () => cycle(32), 64n, true],
    ["Petersen", 10, petersen, 120n, true],
    ["Q_3", 8, () => hypercube(3), 48n, true],
    ["Q_4", 16, () => hypercube(4), 384n, true],
    ["Q_5", 32, () => hypercube(5), 3840n, true],
    ["K_{4,4}", 8, () => completeBipartite(4, 4), 1152n, true],
    ["K_{3,5}", 8, () => completeBipartite(3, 5), 720n, false],
    ["K_{16,16}", 32, () => completeBipartite(16, 16), 2n * 20922789888000n ** 2n, true],
    ["4x4 torus", 16, () => torus(4, 4), 384n, true],
    ["3x3 torus", 9, () => torus(3, 3), 72n, true],
    ["4x8 torus", 32, () => torus(4, 8), 128n, true],
    ["Shrikhande", 16, shrikhande, 192n, true],
    ["K_4 □ K_4", 16, () => rook(4), 1152n, true],
    ["K_32", 32, () => complete(32), 263130836933693530167218012160000000n, true],
    ["empty on 20", 20, () => new Float64Array(400), 2432902008176640000n, true],
  ];

  for (const [name, n, make, order, transitive] of families) {
    it(`${name}: order ${order}, generators fix the graph, orbits`, () => {
      const a = make();
      const st = graphStabilizer(a, n);
      expect(st.order).toBe(order);
      expect(st.method).toBe("partition-backtracking");
      for (const g of st.generators) expect(st.fixes(g)).toBe(true);
      expect(st.orbits!.length === 1).toBe(transitive);
      // A relabelled copy has the same automorphism group order.
      const p = rng(n).permutation(n);
      expect(graphStabilizer(relabel(a, n, p), n).order).toBe(order);
    });
  }

  it("K_{3,5} has the two sides as vertex orbits", () => {
    const st = graphStabilizer(completeBipartite(3, 5), 8);
    expect(st.orbits).toEqual([
      [0, 1, 2],
      [3, 4, 5, 6, 7],
    ]);
  });

  it("orders agree with brute force over all n! permutations (n <= 8, random and family graphs)", () => {
    const r = rng(7);
    const graphs: [Float64Array, number][] = [
      [cycle(7), 7],
      [completeBipartite(3, 4), 7],
      [hypercube(3), 8],
    ];
    for (let t = 0; t < 24; t++) {
      const n = 4 + r.int(5);
      graphs.push([randomGraph(n, 0.2 + 0.6 * r.uniform(), r), n]);
    }
    for (const [a, n] of graphs) {
      expect(graphStabilizer(a, n).order).toBe(BigInt(bruteForceAutomorphisms(a, n)));
    }
  });

  it("3x3 torus: 72 by brute force too", () => {
    expect(bruteForceAutomorphisms(torus(3, 3), 9)).toBe(72);
  });

  it("every element of a small automorphism group fixes the graph, sampling stays inside", () => {
    const st = graphStabilizer(petersen(), 10);
    const all = st.elements();
    expect(all.length).toBe(120);
    for (const g of all) expect(st.fixes(g)).toBe(true);
    const perms = st.permutationElements();
    expect(new Set(perms.map((p) => p.join(","))).size).toBe(120);
    const r = rng(3);
    for (let t = 0; t < 20; t++) expect(st.fixes(st.sample(r))).toBe(true);
  });

  it("weighted and directed graphs: weights must match", () => {
    const n = 6;
    const a = cycle(n);
    // Weight one edge differently: the symmetry drops to the reflection through that edge.
    a[0 * n + 1] = 2;
    a[1 * n + 0] = 2;
    expect(graphStabilizer(a, n).order).toBe(2n);
    // Orient the cycle: only rotations remain.
    const d = new Float64Array(n * n);
    for (let i = 0; i < n; i++) d[i * n + ((i + 1) % n)] = 1;
    expect(graphStabilizer(d, n).order).toBe(BigInt(n));
  });

  it("vertex colours on the diagonal and a V + T(2) input", () => {
    const n = 8;
    const a = cycle(n);
    a[0] = 5; // vertex 0 coloured
    expect(graphStabilizer(a, n).order).toBe(2n);
    const G = S(n);
    const rep = T(G, 1).plus(T(G, 2));
    const x = new Float64Array(n + n * n);
    x.set(cycle(n), n);
    x[0] = 1;
    x[4] = 1; // opposite vertices coloured: reflections through them and the half turn
    expect(stabilizer(G, rep, x).order).toBe(4n);
  });

  it("near-equal weights within tol count as equal, beyond tol they do not", () => {
    const n = 6;
    const a = cycle(n);
    a[0 * n + 1] = a[1 * n + 0] = 1 + 1e-9;
    expect(graphStabilizer(a, n).order).toBe(12n);
    a[0 * n + 1] = a[1 * n + 0] = 1 + 1e-3;
    expect(graphStabilizer(a, n).order).toBe(2n);
  });

  it("Z(n) on the cycle graph: the whole rotation group; on a path: trivial", () => {
    const n = 9;
    const G = Z(n);
    expect(stabilizer(G, T(G, 2), cycle(n)).order).toBe(BigInt(n));
    const path = cycle(n);
    path[0 * n + (n - 1)] = path[(n - 1) * n + 0] = 0;
    expect(stabilizer(G, T(G, 2), path).order).toBe(1n);
  });

  it("generators compose like the group: permMul of generators still fixes the graph", () => {
    const n = 16;
    const a = hypercube(4);
    const st = graphStabilizer(a, n);
    const p = st.permutations!;
    const g = permMul(permMul(p[0]!, p[1] ?? p[0]!), p[p.length - 1]!);
    expect(st.fixes(Matrix.permutation(g))).toBe(true);
  });
});
