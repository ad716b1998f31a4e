import "@tensorflow/tfjs-backend-cpu";
import { directProduct, O, S } from "@isotropy/groups";
import { registerGradients } from "@isotropy/layers/node";
import { stabilizer } from "@isotropy/relax";
import { V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  breakingTaskEntries,
  farthestVertices,
  polygonDeform,
  polygonTargets,
  regularPolygon,
  regularPolygonBound,
  stretchAlongVertex,
} from "../src/breaking/index.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
  await registerGradients();
});

function area(x: ArrayLike<number>, k: number): number {
  // Shoelace over the vertices sorted by angle about the centroid.
  const idx = Array.from({ length: k }, (_, j) => j).sort(
    (a, b) => Math.atan2(x[k + a]!, x[a]!) - Math.atan2(x[k + b]!, x[b]!),
  );
  let s = 0;
  for (let m = 0; m < k; m++) {
    const i = idx[m]!;
    const j = idx[(m + 1) % k]!;
    s += x[i]! * x[k + j]! - x[j]! * x[k + i]!;
  }
  return Math.abs(s) / 2;
}

describe("polygon-deform", () => {
  const k = 6;
  const task = polygonDeform({ k, stretch: 1.5, regularFraction: 0.5 });

  it("is seeded and flags regular polygons by the fraction", () => {
    const a = task.generate({ n: 200, seed: 3 });
    const b = task.generate({ n: 200, seed: 3 });
    expect(a.x).toEqual(b.x);
    expect(a.targets).toEqual(b.targets);
    const frac = a.symmetric.reduce((s, v) => s + v, 0) / a.n;
    expect(frac).toBeGreaterThan(0.35);
    expect(frac).toBeLessThan(0.65);
    expect(
      polygonDeform({ regularFraction: 0 })
        .generate({ n: 20 })
        .symmetric.every((v) => v === 0),
    ).toBe(true);
    expect(
      polygonDeform({ regularFraction: 1 })
        .generate({ n: 20 })
        .symmetric.every((v) => v === 1),
    ).toBe(true);
  });

  it("regular inputs have stabilizer D_k (order 2k) in O(2) x S(k); generic ones are trivial", () => {
    const G = directProduct(O(2), S(k));
    const rep = V(G, 0).tensor(V(G, 1));
    const data = task.generate({ n: 12, seed: 1 });
    for (let b = 0; b < data.n; b++) {
      const x = Float64Array.from(data.x.subarray(b * 2 * k, (b + 1) * 2 * k));
      const st = stabilizer(G, rep, x, { tol: 1e-5 });
      expect(st.order).toBe(data.symmetric[b] ? BigInt(2 * k) : 1n);
      // k even: the k vertex directions give k/2 distinct stretches.
      expect(data.orbitSizes[b]).toBe(data.symmetric[b] ? k / 2 : 1);
    }
  });

  it("the target keeps area, stretches along the farthest vertex and is O(2) x S(k) equivariant on generic inputs", () => {
    const data = polygonDeform({ k: 5, regularFraction: 0 }).generate({ n: 5, seed: 2 });
    for (let b = 0; b < 5; b++) {
      const x = data.x.subarray(b * 10, (b + 1) * 10);
      const y = data.y.subarray(b * 10, (b + 1) * 10);
      const far = farthestVertices(x, 5, 0)[0]!;
      expect(Math.hypot(y[far]!, y[5 + far]!)).toBeCloseTo(
        1.5 * Math.hypot(x[far]!, x[5 + far]!),
        5,
      );
      // Area kept (star-shaped about the centroid; a linear map with det 1 keeps the angular order up to orientation).
      expect(area(y, 5)).toBeCloseTo(area(x, 5), 4);
      // Rotate by t and reverse the vertex order: the target follows.
      const t = 0.7;
      const perm = [4, 3, 2, 1, 0];
      const gx = new Float64Array(10);
      for (let j = 0; j < 5; j++) {
        const p = perm[j]!;
        gx[j] = Math.cos(t) * x[p]! - Math.sin(t) * x[5 + p]!;
        gx[5 + j] = Math.sin(t) * x[p]! + Math.cos(t) * x[5 + p]!;
      }
      const gy = stretchAlongVertex(gx, 5, farthestVertices(gx, 5, 0)[0]!, 1.5);
      for (let j = 0; j < 5; j++) {
        const p = perm[j]!;
        expect(gy[j]).toBeCloseTo(Math.cos(t) * y[p]! - Math.sin(t) * y[5 + p]!, 5);
        expect(gy[5 + j]).toBeCloseTo(Math.sin(t) * y[p]! + Math.cos(t) * y[5 + p]!, 5);
      }
    }
  });

  it("odd k: k distinct targets on a regular polygon", () => {
    expect(polygonTargets(regularPolygon(5, 1, 0.3), 5, 1.5)).toHaveLength(5);
    expect(polygonTargets(regularPolygon(8, 1, 0.3), 8, 1.5)).toHaveLength(4);
  });

  it("the equivariant bound: the best alpha * x matches the closed form r^2 (s - 1/s)^2 / 8", () => {
    for (const [kk, r, s] of [
      [3, 1, 1.5],
      [6, 0.7, 2],
      [7, 1.3, 1.2],
    ] as const) {
      const x = regularPolygon(kk, r, 0.4);
      for (const y of polygonTargets(x, kk, s)) {
        let xy = 0;
        let xx = 0;
        for (let i = 0; i < 2 * kk; i++) {
          xy += x[i]! * y[i]!;
          xx += x[i]! * x[i]!;
        }
        const alpha = xy / xx;
        let e = 0;
        for (let i = 0; i < 2 * kk; i++) e += (alpha * x[i]! - y[i]!) ** 2;
        expect(e / (2 * kk)).toBeCloseTo(regularPolygonBound(r, s), 10);
      }
    }
  });

  it("the best equivariant output reaches the bound in the metric; the exact target reaches 0", () => {
    const data = task.generate({ n: 40, seed: 5 });
    const dim = 2 * k;
    const equiv = new Float32Array(data.n * dim);
    for (let b = 0; b < data.n; b++) {
      const x = data.x.subarray(b * dim, (b + 1) * dim);
      if (data.symmetric[b]) {
        const alpha = (1.5 + 1 / 1.5) / 2; // <x, y> / <x, x> on a regular polygon
        for (let i = 0; i < dim; i++) equiv[b * dim + i] = alpha * x[i]!;
      } else {
        equiv.set(data.y.subarray(b * dim, (b + 1) * dim), b * dim);
      }
    }
    const m = task.metric(equiv, data);
    expect(m.value).toBeCloseTo(m.equivariantBound, 5);
    expect(m.genericValue).toBeLessThan(1e-10);
    expect(task.metric(data.y, data).value).toBeLessThan(1e-10);
    // Any image of the target under the stabilizer scores 0 too.
    const other = new Float32Array(data.n * dim);
    for (let b = 0; b < data.n; b++) {
      const m2 = data.orbitSizes[b]! - 1;
      other.set(data.targets.subarray((b * k + m2) * dim, (b * k + m2 + 1) * dim), b * dim);
    }
    expect(task.metric(other, data).value).toBeLessThan(1e-10);
  });

  it("the orbit-aware loss agrees with the metric and is differentiable", () => {
    const data = task.generate({ n: 16, seed: 7 });
    const pred = tf.randomNormal([16, 2 * k], 0, 1, "float32", 1) as tf.Tensor2D;
    const loss = task.loss(pred, data);
    expect(loss.dataSync()[0]).toBeCloseTo(task.metric(pred, data).value, 4);
    const g = tf.grad((p: tf.Tensor) => task.loss(p as tf.Tensor2D, data))(pred);
    expect(g.shape).toEqual([16, 2 * k]);
    expect(Array.from(g.dataSync()).every(Number.isFinite)).toBe(true);
    expect(Math.max(...Array.from(g.dataSync()).map(Math.abs))).toBeGreaterThan(0);
    const rows = [3, 5];
    const sub = task.loss(tf.gather(pred, rows) as tf.Tensor2D, data, rows).dataSync()[0]!;
    const m = task.metric(pred, data).perInstance;
    expect(sub).toBeCloseTo((m[3]! + m[5]!) / 2, 4);
  });

  it("registry entry and bad parameters", () => {
    const t = breakingTaskEntries["polygon-deform"].create({ k: 4 });
    expect(t.inputDim).toBe(8);
    expect(t.group).toBe("O(2)xS(4)");
    expect(() => polygonDeform({ stretch: 1 })).toThrow(/stretch/);
    expect(() => polygonDeform({ regularFraction: 2 })).toThrow(/regularFraction/);
    expect(() => polygonDeform({ k: 2 })).toThrow(/k/);
  });
});
