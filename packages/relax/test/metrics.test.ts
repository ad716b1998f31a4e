import "@tensorflow/tfjs-backend-cpu";
import { rng } from "@isotropy/core";
import { O, S } from "@isotropy/groups";
import { registerGradients } from "@isotropy/layers/node";
import { Matrix } from "@isotropy/linalg";
import { V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { orbitAwareLoss, orbitAwareLossUnder, stabilizerTargets } from "../src/losses/index.js";
import {
  isSymmetryBroken,
  minCostAssignment,
  pointEquivarianceError,
  relaxedEquivariance,
  relaxedEquivarianceError,
} from "../src/metrics/index.js";
import { stabilizer } from "../src/stabilizer.js";

beforeAll(async () => {
  await registerGradients();
  await tf.setBackend("cpu");
});

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) =>
    Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]),
  );
}

describe("minCostAssignment", () => {
  it("matches brute force on random 6 x 6 costs", () => {
    const r = rng(1);
    const all = permutations(6);
    for (let t = 0; t < 20; t++) {
      const cost = Float64Array.from({ length: 36 }, () => r.int(5) + r.uniform());
      const best = Math.min(...all.map((p) => p.reduce((s, j, i) => s + cost[i * 6 + j]!, 0)));
      const { match, cost: c } = minCostAssignment(cost, 6);
      expect(c).toBeCloseTo(best, 10);
      expect(new Set(match).size).toBe(6);
      expect(Array.from(match).reduce((s, j, i) => s + cost[i * 6 + j]!, 0)).toBeCloseTo(best, 10);
    }
  });
});

describe("relaxedEquivarianceError", () => {
  it("large permutation stabilizers by matching: exact for colour classes", () => {
    const n = 12; // Stab of a constant vector is S(12): 479001600 elements, never enumerated
    const G = S(n);
    const rep = V(G);
    const x = new Float64Array(n).fill(1);
    const v = Float64Array.from({ length: n }, (_, i) => i);
    const constant = () => v; // relaxed equivariant at x (any g: take h = g^-1)
    const g = Matrix.permutation(rng(2).permutation(n));
    const r = relaxedEquivariance(constant, G, rep, rep, x, g);
    expect(r.method).toBe("matching");
    expect(r.exact).toBe(true);
    expect(r.error).toBeLessThan(1e-12);
    expect(pointEquivarianceError(constant, rep, rep, x, g)).toBeGreaterThan(0.1);
    // two colour classes: a constant output is not relaxed equivariant when g mixes them
    const y = Float64Array.from({ length: n }, (_, i) => (i < 6 ? 1 : 2));
    const mix = Matrix.permutation(Int32Array.from({ length: n }, (_, i) => (i + 3) % n));
    const broken = relaxedEquivariance(constant, G, rep, rep, y, mix);
    expect(broken.method).toBe("matching");
    expect(broken.error).toBeGreaterThan(0.01);
  });

  it("enumeration finds the h, and an equivariance-breaking map scores > 0", () => {
    const G = O(2);
    const rep = V(G);
    const x = Float64Array.of(1, 0); // fixed by the reflection diag(1, -1)
    const up = (p: Float64Array) => Float64Array.of(p[0]!, p[1]! + Math.hypot(p[0]!, p[1]!));
    // up(x) = (1, 1): relaxed equivariant? f(gx) = g up(x) needs up(g x) = g h up(x).
    const g = G.sample(rng(5));
    const r = relaxedEquivariance(up, G, rep, rep, x, g);
    expect(r.method).toBe("enumeration");
    expect(r.error).toBeGreaterThan(0.01); // `up` prefers a fixed direction: not relaxed equivariant
    const stab = stabilizer(G, rep, x);
    expect(isSymmetryBroken(up(x), stab, rep)).toBe(true);
    expect(isSymmetryBroken(Float64Array.of(2, 0), stab, rep)).toBe(false);
    // Rounding noise around zero is not symmetry breaking; the same pattern at scale is.
    expect(isSymmetryBroken(Float64Array.of(3e-9, 2e-8), stab, rep)).toBe(false);
    expect(isSymmetryBroken(Float64Array.of(3, 20), stab, rep)).toBe(true);
    expect(relaxedEquivarianceError((p) => p.map((t) => 2 * t), G, rep, rep, x, g)).toBeLessThan(
      1e-12,
    );
  });
});

describe("orbit-aware loss", () => {
  it("is the min over the stabilizer images of the target, and differentiable", () => {
    const G = S(3);
    const rep = V(G);
    const x = Float64Array.of(1, 1, 5); // Stab = <(0 1)>
    const elements = stabilizer(G, rep, x).elements();
    expect(elements.length).toBe(2);
    const y = Float64Array.of(1, 0, 0);
    const targets = stabilizerTargets(rep, y, elements);
    const pred = tf.tensor2d([[0, 1, 0]]);
    const loss = orbitAwareLoss(pred, [targets]);
    expect(loss.dataSync()[0]).toBeCloseTo(0, 6);
    const plain = tf.losses.meanSquaredError(tf.tensor2d([[1, 0, 0]]), pred);
    expect(plain.dataSync()[0]).toBeCloseTo(2 / 3, 6);
    const under = orbitAwareLossUnder(tf.tensor2d([[0.2, 0.9, 0]]), y, elements, rep);
    expect(under.dataSync()[0]).toBeCloseTo((0.04 + 0.01) / 3, 6);
    // the gradient points towards the nearest admissible target
    const p = tf.variable(tf.tensor2d([[0.2, 0.9, 0.1]]));
    const grad = tf.grad((q: tf.Tensor) => orbitAwareLoss(q as tf.Tensor2D, [targets]))(p);
    const expected = [0.2, -0.1, 0.1].map((d) => (2 * d) / 3);
    const got = Array.from(grad.dataSync());
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(expected[i]!, 6);
  });
});
