import { InvalidArgumentError, rng, ShapeError } from "@isotropy/core";
import { Lorentz, O, S, SO } from "@isotropy/groups";
import { type Rep, Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { assertFinite, EquivariantLinear, parameterCount } from "../src/index.js";
import { forward, randomBatch, useCpu, worstEquivarianceError } from "./helpers.js";

beforeAll(useCpu);

const o3 = O(3);
const so3 = SO(3);
const s4 = S(4);
const lorentz = Lorentz();

const cases: [string, Rep, Rep][] = [
  ["O(3) inertia 5*Scalar+5*V -> T(2)", Scalar(o3).times(5).plus(V(o3).times(5)), T(o3, 2)],
  [
    "O(3) (V+Scalar)⊗V -> 2*V+T(2)+Scalar",
    V(o3).plus(Scalar(o3)).tensor(V(o3)),
    V(o3).times(2).plus(T(o3, 2), Scalar(o3)),
  ],
  ["SO(3) 2*V+T(2) -> V+T(3)", V(so3).times(2).plus(T(so3, 2)), V(so3).plus(T(so3, 3))],
  ["S(4) V+T(2) -> 2*V+Scalar", V(s4).plus(T(s4, 2)), V(s4).times(2).plus(Scalar(s4))],
  [
    "Lorentz 2*V+V⊗V*+Scalar -> V*+V⊗V*+2*Scalar",
    V(lorentz)
      .times(2)
      .plus(V(lorentz).tensor(V(lorentz).dual()), Scalar(lorentz)),
    V(lorentz)
      .dual()
      .plus(V(lorentz).tensor(V(lorentz).dual()), Scalar(lorentz).times(2)),
  ],
];

describe("EquivariantLinear", () => {
  it.each(cases)("assembles W = basis.weight(coeffs) exactly: %s", (_, repIn, repOut) => {
    const layer = new EquivariantLinear(repIn, repOut, { rng: rng(1) });
    const coeffs = layer.basisCoefficients();
    expect(coeffs.length).toBe(layer.basis.dim);
    const ref = layer.basis.weight(coeffs);
    const w = tf.tidy(() => layer.weight().dataSync().slice());
    let diff = 0;
    for (let i = 0; i < w.length; i++) diff = Math.max(diff, Math.abs(w[i]! - ref.data[i]!));
    expect(diff).toBeLessThan(1e-5);
    layer.dispose();
  });

  it.each(cases)("is equivariant in float32 (error < 1e-5): %s", (name, repIn, repOut) => {
    const layer = new EquivariantLinear(repIn, repOut, { rng: rng(2) });
    // a non-zero bias too
    for (const w of layer.weights()) {
      if (w.name.startsWith("bias."))
        w.variable.assign(tf.randomNormal(w.variable.shape, 0, 1, "float32", 3));
    }
    const err = worstEquivarianceError(layer, repIn, repOut, rng(3));
    expect(err, name).toBeLessThan(1e-5);
    layer.dispose();
  });

  it("passes gradients to every coefficient variable", () => {
    const [, repIn, repOut] = cases[1]!;
    const layer = new EquivariantLinear(repIn, repOut, { rng: rng(4) });
    const x = tf.tensor2d(Float32Array.from(randomBatch(rng(5), 16, repIn.size)), [16, repIn.size]);
    const vars = layer.weights().map((w) => w.variable);
    const { grads } = tf.variableGrads(
      () => tf.sum(tf.square(tf.add(layer.apply(x), 1))) as tf.Scalar,
      vars,
    );
    for (const w of layer.weights()) {
      const g = grads[w.variable.name]!;
      expect(g.shape).toEqual(w.variable.shape);
      expect(
        tf.tidy(() => tf.norm(g).dataSync()[0]!),
        w.name,
      ).toBeGreaterThan(0);
    }
    tf.dispose([x, ...Object.values(grads)]);
    layer.dispose();
  });

  it("starts with unit-variance outputs for unit-variance inputs", () => {
    const g = O(3);
    const rep = Scalar(g).times(16).plus(V(g).times(8), T(g, 2).times(4));
    let mean = 0;
    const seeds = 6;
    for (let s = 0; s < seeds; s++) {
      const layer = new EquivariantLinear(rep, rep, { rng: rng(100 + s) });
      const y = forward(layer, randomBatch(rng(200 + s), 400, rep.size), rep.size);
      mean += y.reduce((a, v) => a + v * v, 0) / y.length / seeds;
      layer.dispose();
    }
    expect(mean).toBeGreaterThan(0.85);
    expect(mean).toBeLessThan(1.15);
  });

  it("counts its parameters: basis coefficients plus invariant bias", () => {
    const [, repIn, repOut] = cases[0]!;
    const layer = new EquivariantLinear(repIn, repOut, { rng: rng(6) });
    // 5 Scalars -> identity part of T(2) (5), 5 V -> T(2) is zero for O(3) (odd rank): 5 coeffs;
    // bias: the invariant of T(2) (1).
    expect(layer.basis.dim).toBe(5);
    expect(parameterCount(layer)).toBe(layer.basis.dim + (layer.biasBasis?.dim ?? 0));
    expect(parameterCount(layer)).toBe(6);
    expect(layer.weights().map((w) => w.name)).toEqual(["coeffs.0", "bias.0"]);
    layer.dispose();
  });

  it("rejects a wrong-shaped input with a ShapeError naming both shapes", () => {
    const [, repIn, repOut] = cases[0]!;
    const layer = new EquivariantLinear(repIn, repOut, { rng: rng(7) });
    const x = tf.zeros([3, 19]) as tf.Tensor2D;
    expect(() => layer.apply(x)).toThrow(ShapeError);
    expect(() => layer.apply(x)).toThrow(/\[batch, 20\].*\[3, 19\]/);
    x.dispose();
    layer.dispose();
  });

  it("assertFinite names the first non-finite entry", () => {
    const x = tf.tensor2d([1, 2, Number.NaN, 4], [2, 2]);
    expect(() => assertFinite(x, "inputs")).toThrow(InvalidArgumentError);
    expect(() => assertFinite(x, "inputs")).toThrow(/row 1, column 0 is NaN/);
    expect(() => assertFinite(tf.ones([3, 2]), "inputs")).not.toThrow();
    x.dispose();
  });
});
