import "@tensorflow/tfjs-backend-cpu";
import { createRegistry, definePlugin, InvalidArgumentError, rng } from "@isotropy/core";
import { directProduct, type Group, O, S } from "@isotropy/groups";
import type { Module } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator, T, tensor, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  energyTest,
  equivarianceInDistribution,
  evaluate,
  isSymmetryBroken,
  pointEquivarianceError,
  relaxedEquivariance,
  symmetryBreaking,
} from "../src/metrics/index.js";
import { stabilizer } from "../src/stabilizer.js";
import {
  type BreakingModel,
  breakingStrategies,
  NoBreaking,
  NoiseStrategy,
  type RelaxedConstruction,
  RelaxedStrategy,
  SBSStrategy,
  type SymmetryBreakingModel,
  SymPEStrategy,
} from "../src/strategies/index.js";
import type { Strategy } from "../src/strategy.js";
import { cycle } from "./graphs.js";
import { coordinateMajor, maxDiff, regularPolygon } from "./helpers.js";

beforeAll(async () => {
  await tf.setBackend("cpu");
});

interface Case {
  readonly label: string;
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  /** Symmetric inputs (non-trivial finite stabilizer). */
  readonly symmetric: Float64Array[];
  readonly generic: () => Float64Array;
}

function cases(): Case[] {
  const r = rng(5);
  const G1 = O(2);
  const G2 = directProduct(O(2), S(4));
  const cloud = tensor(V(G2, 0), V(G2, 1));
  const G3 = S(6);
  return [
    {
      label: "O(2) on V + V (two points)",
      group: G1,
      repIn: V(G1).times(2),
      repOut: V(G1),
      // p and 2p: fixed by the reflection across their line.
      symmetric: [Float64Array.of(0.6, -0.8, 1.2, -1.6)],
      generic: () => r.normals(4),
    },
    {
      label: "O(2) x S(4) on a square (point cloud), stabilizer D4",
      group: G2,
      repIn: cloud,
      repOut: cloud,
      symmetric: [coordinateMajor(regularPolygon(4, 1.3, 0.4))],
      generic: () => r.normals(8),
    },
    {
      label: "S(6) on the 6-cycle (T(2) -> V), stabilizer D6",
      group: G3,
      repIn: T(G3, 2),
      repOut: V(G3),
      symmetric: [cycle(6)],
      generic: () => r.normals(36),
    },
  ];
}

const models = new Map<string, Module>();
async function model(strategy: Strategy, c: Case): Promise<Module> {
  const options = (strategy as { options?: unknown }).options ?? {};
  const key = `${strategy.name}/${JSON.stringify(options)}/${c.label}`;
  let m = models.get(key);
  if (!m) {
    m = await strategy.build({
      group: c.group,
      repIn: c.repIn,
      repOut: c.repOut,
      channels: 16,
      layers: 2,
      rng: rng(11),
    });
    models.set(key, m);
  }
  return m;
}

function sampleG(group: Group, seed: number): Matrix[] {
  const r = rng(seed);
  return Array.from({ length: 3 }, () => group.sample(r));
}

const CONSTRUCTIONS: readonly RelaxedConstruction[] = ["canonicalization", "breaking-object"];

describe.each(cases())("$label", (c) => {
  describe.each(CONSTRUCTIONS)("construction %s", (construction) => {
    it("relaxed: relaxed equivariance error < 1e-5 on symmetric inputs, output broken", async () => {
      const f = await model(new RelaxedStrategy({ construction }), c);
      for (const x of c.symmetric) {
        for (const g of sampleG(c.group, 1)) {
          const r = relaxedEquivariance(f, c.group, c.repIn, c.repOut, x, g);
          expect(r.method).toBe("enumeration");
          expect(r.error).toBeLessThan(1e-5);
        }
        const stab = stabilizer(c.group, c.repIn, x, { tol: 1e-5 });
        expect(stab.isTrivial).toBe(false);
        expect(isSymmetryBroken(evaluate(f, x), stab, c.repOut)).toBe(true);
      }
    });

    it("relaxed: plain equivariance error < 1e-5 on generic inputs", async () => {
      const f = await model(new RelaxedStrategy({ construction }), c);
      for (let t = 0; t < 3; t++) {
        const x = c.generic();
        for (const g of sampleG(c.group, 2 + t)) {
          expect(pointEquivarianceError(f, c.repIn, c.repOut, x, g)).toBeLessThan(1e-5);
        }
      }
    });
  });

  it("none: outputs are fixed by Stab(x) (Stab(x) <= Stab(f(x)))", async () => {
    const f = await model(new NoBreaking(), c);
    for (const x of c.symmetric) {
      const stab = stabilizer(c.group, c.repIn, x, { tol: 1e-5 });
      const y = evaluate(f, x);
      expect(symmetryBreaking(y, stab, c.repOut)).toBeLessThan(1e-5);
      expect(isSymmetryBroken(y, stab, c.repOut)).toBe(false);
      // and it is exactly equivariant, so its relaxed error is small too
      const g = c.group.sample(rng(3));
      expect(relaxedEquivariance(f, c.group, c.repIn, c.repOut, x, g).error).toBeLessThan(1e-5);
    }
  });

  describe.each(CONSTRUCTIONS)("construction %s", (construction) => {
    it("sbs: allOutputs is the whole stabilizer orbit { rho_out(h) f(x) : h in Stab(x) }", async () => {
      const f = (await model(new SBSStrategy({ construction }), c)) as BreakingModel;
      for (const x of c.symmetric) {
        const fx = evaluate(f, x);
        const all = f.allOutputs(x);
        const rows = all.arraySync().map((row) => Float64Array.from(row));
        all.dispose();
        const stab = stabilizer(c.group, c.repIn, x, { tol: 1e-5 });
        const images = stab.elements().map((h) => rhoOperator(c.repOut, h).matvec(fx));
        expect(rows.length).toBe(images.length);
        const scale = Math.max(1, ...fx.map(Math.abs));
        const near = (a: Float64Array, set: Float64Array[]) =>
          set.some((b) => maxDiff(a, b) < 1e-4 * scale);
        for (const img of images) expect(near(img, rows)).toBe(true);
        for (const row of rows) expect(near(row, images)).toBe(true);
        // the first (identity) breaking object gives apply's output
        expect(maxDiff(rows[0]!, fx)).toBeLessThan(1e-5 * scale);
        // the outputs really differ: f(x) is not fixed by Stab(x)
        const spread = Math.max(...rows.map((v) => maxDiff(v, rows[0]!)));
        expect(spread).toBeGreaterThan(1e-4 * scale);
      }
    });

    it("sympe: deterministic on generic inputs, varies over the coset on symmetric ones", async () => {
      const f = (await model(new SymPEStrategy({ construction }), c)) as BreakingModel;
      const x = c.generic();
      const once = (input: Float64Array, seed: number) => {
        const out = tf.tidy(() =>
          f.apply(tf.tensor2d(Float32Array.from(input), [1, input.length]), { rng: rng(seed) }),
        );
        const data = Float64Array.from(out.dataSync());
        out.dispose();
        return data;
      };
      expect(maxDiff(once(x, 1), once(x, 2))).toBe(0);
      for (const xs of c.symmetric) {
        const all = f.allOutputs(xs);
        const coset = all.arraySync().map((row) => Float64Array.from(row));
        all.dispose();
        const seen = new Set<number>();
        for (let s = 0; s < 40; s++) {
          const y = once(xs, 100 + s);
          const k = coset.findIndex((v) => maxDiff(v, y) < 1e-5 * Math.max(1, ...y.map(Math.abs)));
          expect(k).toBeGreaterThanOrEqual(0);
          seen.add(k);
        }
        expect(seen.size).toBeGreaterThan(1);
        // every draw is still relaxed equivariant
        const g = c.group.sample(rng(9));
        expect(relaxedEquivariance(f, c.group, c.repIn, c.repOut, xs, g).error).toBeLessThan(1e-5);
      }
    });
  });
});

describe("canonicalized model", () => {
  it("gradients reach the input (an upstream encoder trains through the canonical form)", async () => {
    await registerGradients();
    // S(4) on 2*V (two channels per point): frames are locally constant, so the gradient with the
    // frame held fixed is the true one (for O(n) frames it is the partial derivative only).
    const G = S(4);
    const cloud = V(G).times(2);
    const f = await new RelaxedStrategy().build({
      group: G,
      repIn: cloud,
      repOut: cloud,
      channels: 8,
      layers: 1,
      rng: rng(2),
    });
    const x = tf.tensor2d(Float32Array.from(rng(3).normals(16)), [2, 8]);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(f.apply(t as tf.Tensor2D))))(x);
    expect(Math.max(...Array.from(g.dataSync(), Math.abs))).toBeGreaterThan(1e-4);
    // and the numerical derivative along one coordinate agrees
    const h = 1e-2;
    const at = (d: number) =>
      tf.tidy(() => {
        const e = tf.mul(tf.reshape(tf.oneHot([3], 16), [2, 8]), d);
        return tf.sum(tf.square(f.apply(tf.add(x, e) as tf.Tensor2D))).dataSync()[0]!;
      });
    expect((at(h) - at(-h)) / (2 * h)).toBeCloseTo(g.dataSync()[3]!, 1);
  });
});

describe("noise injection", () => {
  const G = O(2);
  const repIn = V(G).times(2);
  const repOut = V(G);
  const build = () =>
    new NoiseStrategy({ channels: 2 }).build({
      group: G,
      repIn,
      repOut,
      channels: 16,
      layers: 2,
      rng: rng(4),
    });

  it("differs across calls, yet passes the test of equivariance in distribution", () => {
    const f = build();
    const x = Float64Array.of(0.6, -0.8, 1.2, 0.3);
    expect(maxDiff(evaluate(f, x), evaluate(f, x))).toBeGreaterThan(1e-4);
    const g = G.sample(rng(2));
    const test = equivarianceInDistribution(f, repIn, repOut, x, g, { samples: 48, seed: 1 });
    expect(test.pValue).toBeGreaterThan(0.05);
    // a stochastic model that is not equivariant in distribution fails it: f(x) + c, c fixed
    const shiftedModel: Module = {
      name: "shifted",
      weights: () => f.weights(),
      apply: (t, ctx) => tf.tidy(() => tf.add(f.apply(t, ctx), tf.tensor2d([[1, 0]]))),
    };
    const shifted = equivarianceInDistribution(shiftedModel, repIn, repOut, x, g, {
      samples: 48,
      seed: 1,
    });
    expect(shifted.pValue).toBeLessThan(0.01);
  });

  it("noise lives in a rep that can break symmetry (one value per node for S(n)), not in scalars", async () => {
    const G = S(6);
    const f = await new NoiseStrategy().build({
      group: G,
      repIn: T(G, 2),
      repOut: V(G),
      channels: 16,
      layers: 2,
      rng: rng(4),
    });
    expect((f as { repNoise: Rep }).repNoise.toString()).toBe("V");
    const x = cycle(6);
    const stab = stabilizer(G, T(G, 2), x, { tol: 1e-5 });
    expect(isSymmetryBroken(evaluate(f, x), stab, V(G))).toBe(true);
  });

  it("the energy test rejects different distributions and is reproducible", () => {
    const r = rng(3);
    const a = Array.from({ length: 40 }, () => r.normals(2));
    const b = Array.from({ length: 40 }, () => r.normals(2).map((v) => v + 1));
    const c = Array.from({ length: 40 }, () => r.normals(2));
    expect(energyTest(a, b, { seed: 1 }).pValue).toBeLessThan(0.01);
    expect(energyTest(a, c, { seed: 1 }).pValue).toBeGreaterThan(0.05);
    expect(energyTest(a, b, { seed: 1 })).toEqual(energyTest(a, b, { seed: 1 }));
  });
});

describe("registry entries", () => {
  it("breakingStrategies register and create strategies that build models", async () => {
    const registry = createRegistry().use(
      definePlugin({
        name: "test-strategies",
        version: "0.0.0",
        apiVersion: "^1",
        strategies: breakingStrategies,
      }),
    );
    const G = O(2);
    const ctx = { group: G, repIn: V(G), repOut: V(G), channels: 8, layers: 1, rng: rng(0) };
    for (const name of ["none", "noise", "relaxed", "sympe", "sbs"]) {
      const s = registry.create<Strategy>("strategies", name, {});
      expect(s.name).toBe(name);
      expect(s.exactlyEquivariant).toBe(name === "none");
      const m = await s.build({ ...ctx, rng: rng(1) });
      expect(m.inputSize).toBe(2);
      expect(m.outputSize).toBe(2);
    }
    const relaxed = registry.create<Strategy>("strategies", "relaxed", {
      breakingRep: "2*V",
      tol: 1e-4,
      construction: "breaking-object",
    });
    expect(((await relaxed.build(ctx)) as SymmetryBreakingModel).repB.size).toBe(4);
  });

  it("typed errors: a breaking rep that cannot break, a group without frames", () => {
    const G = O(2);
    const ctx = { group: G, repIn: V(G), repOut: V(G), channels: 8, layers: 1, rng: rng(0) };
    // a single vector is fixed by a reflection: it cannot break O(2)
    expect(() =>
      new RelaxedStrategy({ breakingRep: "V", construction: "breaking-object" }).build(ctx),
    ).toThrow(InvalidArgumentError);
    expect(() =>
      new RelaxedStrategy({ construction: "frames" as RelaxedConstruction }).build(ctx),
    ).toThrow(/construction must be/);
    const G3 = O(3);
    expect(() =>
      new RelaxedStrategy().build({ ...ctx, group: G3, repIn: T(G3, 2), repOut: V(G3) }),
    ).toThrow(/does not fit/);
  });
});
