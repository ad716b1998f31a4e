import "@tensorflow/tfjs-backend-cpu";
import { Rng } from "@isotropy/core";
import { S } from "@isotropy/groups";
import { registerGradients } from "@isotropy/layers/node";
import { stabilizer } from "@isotropy/relax";
import { T } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  automorphismOrbits,
  breakingTaskEntries,
  completeBipartiteGraph,
  cutValue,
  cycleGraph,
  familiesForSize,
  type GraphFamily,
  hypercubeGraph,
  ising,
  isingGroundState,
  makeGraph,
  maxCut,
  maxCutExact,
  maxCutOrbitConstant,
  minimizeSpinForm,
  petersenGraph,
  relabelGraph,
  spinForm,
  torusGraph,
  VERTEX_TRANSITIVE_FAMILIES,
} from "../src/breaking/index.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await registerGradients();
});

function bruteMin(w: Float64Array, n: number): number {
  let best = Number.POSITIVE_INFINITY;
  for (let mask = 0; mask < 2 ** n; mask++) {
    const s = Array.from({ length: n }, (_, i) => ((mask >> i) & 1 ? 1 : -1));
    best = Math.min(best, spinForm(w, n, s));
  }
  return best;
}

function sortedOrbits(o: readonly (readonly number[])[]): string {
  return JSON.stringify(
    [...o].map((x) => [...x].sort((a, b) => a - b)).sort((a, b) => a[0]! - b[0]!),
  );
}

describe("exhaustive search and known optima", () => {
  it("max cut of C_6 = 6, Petersen = 12, K_{3,3} = 9, Q_3 = 12, C_5 = 4, 3x3 torus = 12", () => {
    expect(maxCutExact(cycleGraph(6), 6).value).toBe(6);
    expect(maxCutExact(petersenGraph(), 10).value).toBe(12);
    expect(maxCutExact(completeBipartiteGraph(3, 3), 6).value).toBe(9);
    expect(maxCutExact(hypercubeGraph(3), 8).value).toBe(12);
    expect(maxCutExact(cycleGraph(5), 5).value).toBe(4);
    expect(maxCutExact(torusGraph(3, 3), 9).value).toBe(12);
    const best = maxCutExact(petersenGraph(), 10);
    expect(cutValue(petersenGraph(), 10, best.spins)).toBe(12);
  });

  it("the Gray-code minimum equals brute force on random weighted forms", () => {
    const rng = new Rng(11);
    for (let t = 0; t < 20; t++) {
      const n = 2 + rng.int(8);
      const w = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        for (let j = i + 1; j < n; j++) {
          w[i * n + j] = rng.normal();
          w[j * n + i] = w[i * n + j]!;
        }
      }
      const m = minimizeSpinForm(w, n);
      expect(m.value).toBeCloseTo(bruteMin(w, n), 10);
      expect(spinForm(w, n, m.spins)).toBeCloseTo(m.value, 10);
    }
  });

  it("Ising ground states: ferromagnet -|E|, antiferromagnet on bipartite graphs -|E|, on Petersen -|E| + 2*3", () => {
    const q3 = hypercubeGraph(3);
    expect(isingGroundState(q3, 8).energy).toBe(-12);
    expect(
      isingGroundState(
        q3.map((v) => -v),
        8,
      ).energy,
    ).toBe(-12);
    const p = petersenGraph();
    // Antiferromagnet: E = -(cut) + (uncut) = -(12) + 3.
    expect(
      isingGroundState(
        p.map((v) => -v),
        10,
      ).energy,
    ).toBe(-9);
  });
});

describe("automorphism orbits", () => {
  it("agree with @isotropy/relax's stabilizer on every family and on random graphs", () => {
    const rng = new Rng(5);
    const cases: [Float64Array, number][] = [];
    for (const n of [8, 9, 10, 12, 16]) {
      for (const f of familiesForSize(n)) cases.push([makeGraph(f, n, rng), n]);
    }
    cases.push([completeBipartiteGraph(3, 5), 8]);
    for (const [a0, n] of cases) {
      const a = relabelGraph(a0, n, rng.permutation(n));
      const G = S(n);
      const ref = stabilizer(G, T(G, 2), a).orbits!;
      expect(sortedOrbits(automorphismOrbits(a, n))).toBe(sortedOrbits(ref));
    }
  });

  it("agree with the stabilizer on signed, weighted and looped graphs, twins included", () => {
    const rng = new Rng(11);
    const cases: [Float64Array, number][] = [];
    // Spin-glass signs on every family: the symmetry drops below Aut(G).
    for (const n of [8, 10]) {
      for (const f of familiesForSize(n)) {
        const a = makeGraph(f, n, rng);
        for (let i = 0; i < n; i++) {
          for (let j = i + 1; j < n; j++) {
            if (a[i * n + j] === 0 || rng.int(2) === 0) continue;
            a[i * n + j] = -(a[i * n + j] as number);
            a[j * n + i] = -(a[j * n + i] as number);
          }
        }
        cases.push([a, n]);
      }
    }
    // K(3,5) with two weights and loops: vertices with the same neighbours but different loop
    // weights or edge weights are not twins; the 5-side splits into {0, 1}, {2}, {3, 4}.
    const k = completeBipartiteGraph(3, 5);
    for (const v of [3, 4]) k[v * 8 + v] = 2;
    for (const v of [5]) k[v * 8 + v] = -1;
    for (const u of [0, 1, 2]) {
      k[u * 8 + 6] = 3;
      k[6 * 8 + u] = 3;
      k[u * 8 + 7] = 3;
      k[7 * 8 + u] = 3;
    }
    cases.push([k, 8]);
    // Twins that are also adjacent (a clique hanging off a path) and random regular graphs,
    // whose vertices refinement cannot tell apart.
    const t = new Float64Array(64);
    const edge = (i: number, j: number) => {
      t[i * 8 + j] = 1;
      t[j * 8 + i] = 1;
    };
    for (const [i, j] of [
      [0, 1],
      [0, 2],
      [1, 2],
      [2, 3],
      [3, 4],
      [4, 5],
      [4, 6],
      [4, 7],
      [6, 7],
    ])
      edge(i as number, j as number);
    cases.push([t, 8]);
    for (let r = 0; r < 4; r++) cases.push([makeGraph("random-regular", 12, rng), 12]);
    for (const [a0, n] of cases) {
      const a = relabelGraph(a0, n, rng.permutation(n));
      const G = S(n);
      const ref = stabilizer(G, T(G, 2), a).orbits!;
      expect(sortedOrbits(automorphismOrbits(a, n))).toBe(sortedOrbits(ref));
    }
  });

  it("vertex-transitive families have one orbit (Aut transitive, checked with relax)", () => {
    const rng = new Rng(2);
    for (const n of [8, 10, 16]) {
      for (const f of familiesForSize(n).filter((x) => VERTEX_TRANSITIVE_FAMILIES.includes(x))) {
        const a = makeGraph(f, n, rng);
        const G = S(n);
        expect(stabilizer(G, T(G, 2), a).orbits!.length, `${f} on ${n}`).toBe(1);
        expect(automorphismOrbits(a, n)).toHaveLength(1);
      }
    }
  });
});

describe("max-cut task", () => {
  const task = maxCut({ nodes: 10 });
  // the loss without its integrality penalty, for the closed forms below
  const pure = maxCut({ nodes: 10, integrality: 0 });

  it("is seeded; vertex-transitive instances have equivariant bound 0 and are symmetric", () => {
    const a = task.generate({ n: 30, seed: 4 });
    const b = task.generate({ n: 30, seed: 4 });
    expect(a.x).toEqual(b.x);
    expect(a.optimum).toEqual(b.optimum);
    const fams = new Set(a.families);
    expect(fams.size).toBeGreaterThan(2);
    for (let i = 0; i < a.n; i++) {
      const f = a.families[i] as GraphFamily;
      if (VERTEX_TRANSITIVE_FAMILIES.includes(f)) {
        expect(a.equivariantBound[i]).toBe(0);
        expect(a.symmetric[i]).toBe(1);
        expect(a.orbits[i]).toHaveLength(1);
      }
      if (f === "petersen") expect(a.optimum[i]).toBe(12);
      if (f === "cycle") expect(a.optimum[i]).toBe(10);
      if (f === "complete-bipartite") expect(a.optimum[i]).toBe(25);
      expect(a.equivariantBound[i]).toBeLessThanOrEqual(1);
    }
  });

  it("metric: the optimum scores 1, equal scores 0, and constant-on-orbit bound matches", () => {
    const data = task.generate({ n: 20, seed: 9 });
    const best = Float32Array.from(data.optimalSpins);
    expect(task.metric(best, data).value).toBeCloseTo(1, 12);
    const equal = new Float32Array(data.n * 10).fill(0.3);
    const m = task.metric(equal, data);
    expect(m.value).toBe(0);
    // The orbit-constant optimum is reached by an orbit-constant assignment (bound is attained).
    for (let i = 0; i < data.n; i++) {
      const adj = data.x.subarray(i * 100, (i + 1) * 100);
      const c = maxCutOrbitConstant(adj, 10, data.orbits[i]!);
      expect(c / data.optimum[i]!).toBeCloseTo(data.equivariantBound[i]!, 12);
    }
  });

  it("the relaxed-cut loss equals minus the cut fraction at +-large scores and is differentiable", () => {
    const data = task.generate({ n: 6, seed: 1 });
    const big = tf.mul(
      tf.tensor2d(Float32Array.from(data.optimalSpins), [6, 10]),
      20,
    ) as tf.Tensor2D;
    const l = pure.loss(big, data).dataSync()[0]!;
    let expected = 0;
    for (let i = 0; i < 6; i++) expected -= data.optimum[i]! / data.edges[i]!;
    expect(l).toBeCloseTo(expected / 6, 4);
    const zero = tf.zeros([6, 10]) as tf.Tensor2D;
    expect(pure.loss(zero, data).dataSync()[0]).toBeCloseTo(-0.5, 6);
    // at ±1 spins the integrality penalty vanishes
    expect(task.loss(big, data).dataSync()[0]).toBeCloseTo(l, 5);
    const pred = tf.randomNormal([6, 10], 0, 1, "float32", 3) as tf.Tensor2D;
    const g = tf.grad((p: tf.Tensor) => task.loss(p as tf.Tensor2D, data))(pred);
    expect(g.shape).toEqual([6, 10]);
    expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
  });

  it("sphere relaxation: scale-free Rayleigh quotient; tanh relaxation as before; float noise is a tie", () => {
    const data = task.generate({ n: 4, seed: 2 });
    const pred = tf.randomNormal([4, 10], 0, 1, "float32", 5) as tf.Tensor2D;
    const at = (t: ReturnType<typeof maxCut>, p: tf.Tensor2D) => t.loss(p, data).dataSync()[0]!;
    expect(at(task, tf.mul(pred, 7) as tf.Tensor2D)).toBeCloseTo(at(task, pred), 5);
    // |z|² = n: the loss is (zᵀAz/4 - |E|/2)/|E| with z the rescaled scores
    const p = pred.arraySync();
    let expected = 0;
    for (let b = 0; b < 4; b++) {
      const norm = Math.hypot(...p[b]!);
      const z = p[b]!.map((v) => (v / norm) * Math.sqrt(10));
      const a = data.x.subarray(b * 100, (b + 1) * 100);
      let q = 0;
      for (let i = 0; i < 10; i++) for (let j = 0; j < 10; j++) q += a[i * 10 + j]! * z[i]! * z[j]!;
      expected -= (2 * data.edges[b]! - q) / 4 / data.edges[b]!;
    }
    expect(at(pure, pred)).toBeCloseTo(expected / 4, 4);
    // the integrality penalty: 0.1 mean (z² - 1)² on top
    let off = 0;
    for (let b = 0; b < 4; b++) {
      const norm = Math.hypot(...p[b]!);
      for (const v of p[b]!) off += (((v / norm) * Math.sqrt(10)) ** 2 - 1) ** 2 / 40;
    }
    expect(at(task, pred)).toBeCloseTo(expected / 4 + 0.1 * off, 4);
    expect(() => maxCut({ integrality: -1 })).toThrow(/integrality/);
    const tanhTask = maxCut({ nodes: 10, relaxation: "tanh", integrality: 0 });
    expect(at(tanhTask, tf.zeros([4, 10]) as tf.Tensor2D)).toBeCloseTo(-0.5, 6);
    expect(at(tanhTask, tf.mul(pred, 3) as tf.Tensor2D)).not.toBeCloseTo(at(tanhTask, pred), 3);
    // an exactly equivariant zero output with float32 noise cuts nothing
    const noise = tf.mul(tf.randomNormal([4, 10], 0, 1, "float32", 6), 1e-7) as tf.Tensor2D;
    expect(task.metric(noise.dataSync(), data).value).toBe(0);
    expect(() => maxCut({ relaxation: "cosine" as "tanh" })).toThrow(/relaxation/);
  });

  it("bad options", () => {
    expect(() => maxCut({ nodes: 30 })).toThrow(/nodes/);
    expect(() => maxCut({ nodes: 9, families: ["petersen"] })).toThrow(/petersen/);
    expect(breakingTaskEntries["max-cut"].create({ nodes: 8 }).outputDim).toBe(8);
  });
});

describe("ising task", () => {
  it("ferromagnets on vertex-transitive graphs: equivariant bound 0 (all spins equal is a ground state)", () => {
    const task = ising({
      nodes: 8,
      couplings: ["ferro"],
      families: ["cycle", "hypercube", "complete-bipartite"],
    });
    const data = task.generate({ n: 10, seed: 2 });
    for (let i = 0; i < data.n; i++) {
      expect(data.equivariantBound[i]).toBe(0);
      expect(data.symmetric[i]).toBe(0);
    }
    expect(task.metric(new Float32Array(80).fill(1), data).value).toBe(0);
  });

  it("antiferromagnets on bipartite vertex-transitive graphs: equivariant bound 2 (E = +|E| vs -|E|)", () => {
    const task = ising({
      nodes: 8,
      couplings: ["antiferro"],
      families: ["cycle", "hypercube", "complete-bipartite"],
    });
    const data = task.generate({ n: 10, seed: 2 });
    for (let i = 0; i < data.n; i++) {
      expect(data.equivariantBound[i]).toBeCloseTo(2, 12);
      expect(data.symmetric[i]).toBe(1);
    }
    const m = task.metric(new Float32Array(80).fill(-0.5), data);
    expect(m.value).toBeCloseTo(2, 12);
    expect(task.metric(Float32Array.from(data.groundSpins), data).value).toBeCloseTo(0, 12);
    // Global flip of a ground state is a ground state (Z2 on the output).
    expect(
      task.metric(
        Float32Array.from(data.groundSpins, (s) => -s),
        data,
      ).value,
    ).toBeCloseTo(0, 12);
  });

  it("spin glasses and the default mix generate; the relaxed-energy loss is differentiable", () => {
    const task = ising({ nodes: 10, couplings: ["ferro", "antiferro", "spin-glass"] });
    const data = task.generate({ n: 12, seed: 8 });
    for (let i = 0; i < data.n; i++) {
      expect(data.groundEnergy[i]).toBeLessThan(0);
      expect(data.equivariantBound[i]).toBeGreaterThanOrEqual(0);
    }
    const big = tf.mul(
      tf.tensor2d(Float32Array.from(data.groundSpins), [12, 10]),
      20,
    ) as tf.Tensor2D;
    let expected = 0;
    for (let i = 0; i < data.n; i++) expected += data.groundEnergy[i]! / data.scale[i]!;
    expect(task.loss(big, data).dataSync()[0]).toBeCloseTo(expected / 12, 4);
    const pred = tf.randomNormal([12, 10], 0, 1, "float32", 4) as tf.Tensor2D;
    const g = tf.grad((p: tf.Tensor) => task.loss(p as tf.Tensor2D, data))(pred);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(breakingTaskEntries.ising.create({ couplings: ["spin-glass"] }).name).toBe("ising");
    expect(() => ising({ couplings: [] })).toThrow(/couplings/);
  });
});
