import "@tensorflow/tfjs-backend-cpu";
import { Rng } from "@isotropy/core";
import { registerGradients } from "@isotropy/layers/node";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  breakingTaskEntries,
  hungarian,
  identicalCopies,
  matchingError,
  setDecoding,
  setSpread,
} from "../src/breaking/index.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await registerGradients();
});

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  const out: number[][] = [];
  for (const p of permutations(n - 1)) {
    for (let i = 0; i <= p.length; i++) out.push([...p.slice(0, i), n - 1, ...p.slice(i)]);
  }
  return out;
}

describe("hungarian", () => {
  it("matches brute force on random and degenerate cost matrices (n <= 6)", () => {
    const rng = new Rng(3);
    for (let t = 0; t < 60; t++) {
      const n = 1 + rng.int(6);
      const integer = t % 3 === 0;
      const cost = Float64Array.from({ length: n * n }, () =>
        integer ? rng.int(3) : rng.range(-2, 5),
      );
      let best = Number.POSITIVE_INFINITY;
      for (const p of permutations(n)) {
        let c = 0;
        for (let i = 0; i < n; i++) c += cost[i * n + p[i]!]!;
        best = Math.min(best, c);
      }
      const m = hungarian(cost, n);
      expect(m.cost).toBeCloseTo(best, 10);
      expect([...m.rowToCol].sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
      let c = 0;
      for (let i = 0; i < n; i++) c += cost[i * n + m.rowToCol[i]!]!;
      expect(c).toBeCloseTo(m.cost, 10);
    }
  });

  it("n = 0 and bad input", () => {
    expect(hungarian([], 0).cost).toBe(0);
    expect(() => hungarian([1, 2, 3], 2)).toThrow(/expected shape/);
    expect(() => hungarian([1, Number.NaN, 3, 4], 2)).toThrow(/finite/);
  });
});

describe("set-decoding", () => {
  const points = 6;
  const task = setDecoding({ points });
  const dim = 2 * points;

  it("is seeded; the matching error is permutation invariant and 0 on a permuted copy", () => {
    const a = task.generate({ n: 5, seed: 1 });
    expect(a.x).toEqual(task.generate({ n: 5, seed: 1 }).x);
    const rng = new Rng(0);
    for (let b = 0; b < a.n; b++) {
      const x = a.x.subarray(b * dim, (b + 1) * dim);
      const p = rng.permutation(points);
      const px = new Float64Array(dim);
      for (let j = 0; j < points; j++) {
        px[j] = x[p[j]!]!;
        px[points + j] = x[points + p[j]!]!;
      }
      expect(matchingError(px, x, points).error).toBeCloseTo(0, 12);
    }
  });

  it("the equivariant bound is the spread, reached by the centroid copied n times", () => {
    const data = task.generate({ n: 10, seed: 2 });
    const pred = new Float32Array(data.n * dim);
    for (let b = 0; b < data.n; b++) {
      const x = data.x.subarray(b * dim, (b + 1) * dim);
      let mx = 0;
      let my = 0;
      for (let j = 0; j < points; j++) {
        mx += x[j]! / points;
        my += x[points + j]! / points;
      }
      pred.fill(mx, b * dim, b * dim + points);
      pred.fill(my, b * dim + points, (b + 1) * dim);
      expect(data.equivariantBound[b]).toBeCloseTo(setSpread(x, points), 12);
    }
    const m = task.metric(pred, data);
    expect(m.value).toBeCloseTo(m.equivariantBound, 5);
    // Any identical-points output does no better than the centroid.
    const shifted = pred.map((v) => v + 0.1);
    expect(task.metric(shifted, data).value).toBeGreaterThan(m.value);
    expect(task.metric(data.x, data).value).toBe(0);
  });

  it("the matching loss equals the metric and is differentiable; identical copies tile the code", () => {
    const data = task.generate({ n: 8, seed: 4 });
    const pred = tf.randomNormal([8, dim], 0, 1, "float32", 2) as tf.Tensor2D;
    expect(task.loss(pred, data).dataSync()[0]).toBeCloseTo(task.metric(pred, data).value, 4);
    const g = tf.grad((p: tf.Tensor) => task.loss(p as tf.Tensor2D, data))(pred);
    expect(g.shape).toEqual([8, dim]);
    expect(Array.from(g.dataSync()).some((v) => v !== 0)).toBe(true);
    const copies = identicalCopies(tf.tensor2d([[1, 2, 3]]), 4);
    expect(copies.shape).toEqual([1, 4, 3]);
    expect(Array.from(copies.dataSync())).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
    expect(breakingTaskEntries["set-decoding"].create({ points: 3 }).inputDim).toBe(6);
    expect(() => setDecoding({ points: 1 })).toThrow(/points/);
  });
});
