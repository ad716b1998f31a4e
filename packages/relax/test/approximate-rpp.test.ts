import "@tensorflow/tfjs-backend-cpu";
import { InvalidArgumentError, rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { EMLP, modelEquivarianceError } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { RPPEMLP, RPPLinear, rppStrategy } from "../src/approximate/index.js";

beforeAll(async () => {
  await registerGradients();
  await tf.setBackend("cpu");
  await tf.ready();
});

const o3 = O(3);
const repIn = Scalar(o3).times(5).plus(V(o3).times(5));
const repOut = T(o3, 2);

function sampleX(seed: number, n: number): { x: Float32Array; n: number } {
  return { x: Float32Array.from(rng(seed).normals(n * repIn.size)), n };
}

function sumSq(t: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.square(t)).dataSync()[0]!);
}

describe("RPPEMLP", () => {
  it("is exactly equivariant with the free pathway at zero, and not otherwise", () => {
    const model = new RPPEMLP(repIn, repOut, o3, { channels: 16, layers: 2, rng: rng(1) });
    const data = sampleX(2, 32);
    const atInit = modelEquivarianceError(model, repIn, repOut, data, rng(3));
    expect(atInit).toBeGreaterThan(1e-7);
    for (const w of model.freeWeights()) w.variable.assign(tf.zerosLike(w.variable));
    expect(modelEquivarianceError(model, repIn, repOut, data, rng(3))).toBeLessThan(1e-5);
    const r = rng(4);
    for (const w of model.freeWeights()) {
      w.variable.assign(
        tf.tensor(Float32Array.from(r.normals(w.variable.size, 0.3)), w.variable.shape),
      );
    }
    expect(modelEquivarianceError(model, repIn, repOut, data, rng(3))).toBeGreaterThan(1e-2);
    model.dispose();
  });

  it("has free weights about 1e-3 of the equivariant ones at initialisation", () => {
    const lin = new RPPLinear(repIn, repOut, { rng: rng(5) });
    const ratio = Math.sqrt(sumSq(lin.freeWeight) / sumSq(lin.equiv.weight()));
    expect(ratio).toBeGreaterThan(3e-4);
    expect(ratio).toBeLessThan(3e-3);
    lin.dispose();
  });

  it("penalty = lambdaFree ||W_free||^2 + lambdaEquiv ||W_equiv||^2", () => {
    const model = new RPPEMLP(repIn, repOut, o3, {
      channels: 8,
      layers: 1,
      rng: rng(6),
      lambdaFree: 2,
      lambdaEquiv: 0.5,
    });
    const r = rng(7);
    for (const w of model.freeWeights()) {
      w.variable.assign(
        tf.tensor(Float32Array.from(r.normals(w.variable.size, 0.1)), w.variable.shape),
      );
    }
    let free = 0;
    for (const w of model.freeWeights()) free += sumSq(w.variable);
    let equiv = 0;
    for (const lin of [model.blocks[0]!.linear, model.head]) {
      equiv += sumSq(lin.equiv.weight()) + sumSq(lin.equiv.bias());
    }
    const p = model.penalty();
    expect(p.dataSync()[0]).toBeCloseTo(2 * free + 0.5 * equiv, 3);
    p.dispose();
    model.dispose();
  });

  it("names its weights uniquely and fits an EMLP's structure", () => {
    const model = new RPPEMLP(repIn, repOut, o3, { channels: 8, layers: 1, rng: rng(8) });
    const names = model.weights().map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain("layers.1.free.weight");
    expect(names).toContain("layers.0.nonlinearity.free.weight");
    const emlp = new EMLP(repIn, repOut, o3, { channels: 8, layers: 1, rng: rng(8) });
    expect(model.hidden.map(String)).toEqual(emlp.hidden.map(String));
    expect(model.metadata()).toMatchObject({ kind: "RPPEMLP", group: "O(3)" });
    emlp.dispose();
    model.dispose();
  });

  it("the free path takes up a broken term that the equivariant path cannot", () => {
    // Target: the non-equivariant map x -> first 9 input coordinates; a few Adam steps move the
    // free weights away from their 1e-3 start and lower the loss.
    const model = new RPPEMLP(repIn, repOut, o3, {
      channels: 8,
      layers: 1,
      rng: rng(9),
      lambdaFree: 1e-3,
    });
    const x = tf.tensor2d(Float32Array.from(rng(10).normals(64 * repIn.size)), [64, repIn.size]);
    const y = tf.slice(x, [0, 0], [64, 9]);
    const opt = tf.train.adam(1e-2);
    const vars = model.weights().map((w) => w.variable);
    const loss = () =>
      tf.add(tf.losses.meanSquaredError(y, model.apply(x)), model.penalty()) as tf.Scalar;
    const before = tf.tidy(() => loss().dataSync()[0]!);
    const free0 = model.freeWeights().reduce((s, w) => s + sumSq(w.variable), 0);
    for (let i = 0; i < 30; i++) opt.minimize(loss, false, vars);
    const after = tf.tidy(() => loss().dataSync()[0]!);
    const free1 = model.freeWeights().reduce((s, w) => s + sumSq(w.variable), 0);
    expect(after).toBeLessThan(before);
    expect(free1).toBeGreaterThan(10 * free0);
    opt.dispose();
    tf.dispose([x, y]);
    model.dispose();
  });
});

describe("rpp strategy", () => {
  it("builds an RPPEMLP and validates its penalty weights", async () => {
    const s = rppStrategy();
    expect(s).toMatchObject({ name: "rpp", exactlyEquivariant: false });
    const m = await s.build({ group: o3, repIn, repOut, channels: 8, layers: 1, rng: rng(11) });
    expect(m).toBeInstanceOf(RPPEMLP);
    expect((m as RPPEMLP).lambdaFree).toBe(100);
    expect((m as RPPEMLP).lambdaEquiv).toBe(1e-3);
    m.dispose?.();
    expect(() => rppStrategy({ lambdaFree: -1 })).toThrow(InvalidArgumentError);
    expect(() => rppStrategy({ lambdaFree: -1 })).toThrow(/lambdaFree/);
    expect(() => rppStrategy({ lambdaEquiv: -0.5 })).toThrow(/lambdaEquiv/);
    expect(
      () =>
        new RPPEMLP(repIn, repOut, o3, { channels: 8, layers: 1, rng: rng(1), lambdaEquiv: -1 }),
    ).toThrow(/lambdaEquiv/);
  });
});
