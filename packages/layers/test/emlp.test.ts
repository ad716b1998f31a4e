import { rng } from "@isotropy/core";
import { Lorentz, O, SO } from "@isotropy/groups";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { EMLP, EMLPBlock, MLP, parameterCount, uniformRep } from "../src/index.js";
import { forward, randomBatch, useCpu, worstEquivarianceError } from "./helpers.js";

beforeAll(useCpu);

const o3 = O(3);
const o5 = O(5);
const lorentz = Lorentz();

const tasks = [
  // name, group, repIn, repOut, tolerance, input scale
  ["inertia O(3)", o3, Scalar(o3).times(5).plus(V(o3).times(5)), T(o3, 2), 1e-5, 1],
  [
    "inertia SO(3)",
    SO(3),
    Scalar(SO(3))
      .times(5)
      .plus(V(SO(3)).times(5)),
    T(SO(3), 2),
    1e-5,
    1,
  ],
  ["o5-synthetic O(5)", o5, V(o5).times(2), Scalar(o5), 1e-5, 1],
  ["particle-interaction Lorentz", lorentz, V(lorentz).times(4), Scalar(lorentz), 1e-3, 0.25],
] as const;

describe("EMLPBlock", () => {
  it("is equivariant: O(3) inertia input -> uniformRep(48)", () => {
    const [, g, repIn] = tasks[0];
    const out = uniformRep(48, g);
    const block = new EMLPBlock(repIn, out, { rng: rng(1) });
    expect(
      block.weights().every((w) => /^(linear|bilinear)\.(coeffs|bias)\.\d+$/.test(w.name)),
    ).toBe(true);
    expect(worstEquivarianceError(block, repIn, out, rng(2))).toBeLessThan(1e-5);
    block.dispose();
  });

  it("is equivariant: Lorentz 4V -> uniformRep(48)", () => {
    const [, g, repIn] = tasks[3];
    const out = uniformRep(48, g);
    const block = new EMLPBlock(repIn, out, { rng: rng(3) });
    expect(worstEquivarianceError(block, repIn, out, rng(4), { scale: 0.25 })).toBeLessThan(1e-3);
    block.dispose();
  });
});

describe("EMLP", () => {
  it.each(tasks)("is equivariant at initialisation: %s", (_, g, repIn, repOut, tol, scale) => {
    const model = new EMLP(repIn, repOut, g, { channels: 48, layers: 2, rng: rng(5) });
    expect(model.hidden.map((h) => h.size)).toEqual([48, 48]);
    const err = worstEquivarianceError(model, repIn, repOut, rng(6), { scale });
    expect(err).toBeLessThan(tol);
    model.dispose();
  });

  it("names its weights uniquely and stably, and is reproducible from its seed", () => {
    const [, g, repIn, repOut] = tasks[0];
    const a = new EMLP(repIn, repOut, g, { channels: 32, layers: 2, rng: rng(7) });
    const b = new EMLP(repIn, repOut, g, { channels: 32, layers: 2, rng: rng(7) });
    const names = a.weights().map((w) => w.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(b.weights().map((w) => w.name));
    expect(names).toContain("layers.0.linear.coeffs.0");
    expect(names).toContain("layers.1.bilinear.coeffs.0");
    expect(names.some((n) => n.startsWith("layers.2.coeffs."))).toBe(true);
    const x = randomBatch(rng(8), 4, repIn.size);
    expect(Array.from(forward(a, x, repIn.size))).toEqual(Array.from(forward(b, x, repIn.size)));
    expect(parameterCount(a)).toBe(
      a.blocks.reduce(
        (s, blk) =>
          s +
          blk.linear.basis.dim +
          (blk.linear.biasBasis?.dim ?? 0) +
          blk.bilinear.weights().reduce((t, w) => t + w.variable.size, 0),
        0,
      ) +
        a.head.basis.dim +
        (a.head.biasBasis?.dim ?? 0),
    );
    a.dispose();
    b.dispose();
  });

  it("trains: one gradient step lowers a loss and reaches every weight", () => {
    // Inertia inputs (scalars and vectors reach every block type at initialisation, where the
    // biases are 0) and outputs of every rank, so that no channel is cut off by parity.
    const [, g, repIn] = tasks[0];
    const repOut = Scalar(g).plus(V(g), T(g, 2));
    const model = new EMLP(repIn, repOut, g, { channels: 32, layers: 2, rng: rng(9) });
    const x = tf.tensor2d(Float32Array.from(randomBatch(rng(10), 32, repIn.size)), [
      32,
      repIn.size,
    ]);
    const y = tf.ones([32, repOut.size]);
    const vars = model.weights().map((w) => w.variable);
    const loss = () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar;
    const before = tf.tidy(() => loss().dataSync()[0]!);
    const { grads } = tf.variableGrads(loss, vars);
    for (const w of model.weights()) {
      expect(
        tf.tidy(() => tf.norm(grads[w.variable.name]!).dataSync()[0]!),
        w.name,
      ).toBeGreaterThan(0);
    }
    tf.tidy(() => {
      for (const v of vars) v.assign(tf.sub(v, tf.mul(grads[v.name]!, 0.01)));
    });
    const after = tf.tidy(() => loss().dataSync()[0]!);
    expect(after).toBeLessThan(before);
    tf.dispose([x, y, ...Object.values(grads)]);
    model.dispose();
  });
});

describe("MLP", () => {
  it("is not equivariant (the sanity contrast)", () => {
    const [, , repIn, repOut] = tasks[0];
    const mlp = new MLP(repIn.size, repOut.size, { channels: 48, layers: 2, rng: rng(11) });
    expect(worstEquivarianceError(mlp, repIn, repOut, rng(12))).toBeGreaterThan(0.05);
    mlp.dispose();
  });

  it("counts (in+1)·ch + (ch+1)·ch·(layers-1) + (ch+1)·out parameters", () => {
    const mlp = new MLP(20, 9, { channels: 384, layers: 3, rng: rng(13) });
    expect(parameterCount(mlp)).toBe(21 * 384 + 2 * 385 * 384 + 385 * 9);
    expect(mlp.weights().map((w) => w.name)).toEqual([
      "layers.0.weight",
      "layers.0.bias",
      "layers.1.weight",
      "layers.1.bias",
      "layers.2.weight",
      "layers.2.bias",
      "layers.3.weight",
      "layers.3.bias",
    ]);
    mlp.dispose();
  });
});
