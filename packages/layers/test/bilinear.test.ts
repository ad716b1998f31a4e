import { rng } from "@isotropy/core";
import { Lorentz, O, SO } from "@isotropy/groups";
import { type Rep, Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { BiLinear, gated, uniformRep } from "../src/index.js";
import { forward, randomBatch, useCpu, worstEquivarianceError } from "./helpers.js";

beforeAll(useCpu);

/** y = W(x) x written out entry by entry from the layer's pair structure, in float64. */
function reference(layer: BiLinear, x: Float64Array, bs: number): Float64Array {
  const nIn = layer.inputSize;
  const nOut = layer.outputSize;
  const y = new Float64Array(bs * nOut);
  const thetas = layer.weights().map((w) => w.variable.dataSync());
  for (const p of layer.pairs()) {
    const th = thetas[p.variable]!;
    const cI = p.inCopies.length;
    const n = p.pool.length;
    const si = p.inCopies[0]!.length;
    for (let s = 0; s < bs; s++) {
      const xs = (i: number) => x[s * nIn + i]!;
      p.outCopies.forEach((outPos, o) => {
        for (let a = 0; a < outPos.length; a++) {
          let acc = 0;
          for (let c = 0; c < cI; c++) {
            for (let m = 0; m < n; m++) {
              let w = 0;
              for (let b = 0; b < si; b++)
                w += xs(p.pool[m]![a * si + b]!) * xs(p.inCopies[c]![b]!);
              acc += th[(o * cI + c) * n + m]! * w;
            }
          }
          y[s * nOut + outPos[a]!]! += p.gain * acc;
        }
      });
    }
  }
  return y;
}

const o3 = O(3);
const lorentz = Lorentz();

describe("BiLinear", () => {
  const reps: [string, Rep][] = [
    ["O(3) gated(3*Scalar+2*V+T(2))", gated(Scalar(o3).times(3).plus(V(o3).times(2), T(o3, 2)))],
    [
      "O(3) permuted (V+Scalar)⊗V+V+Scalar",
      V(o3).plus(Scalar(o3)).tensor(V(o3)).plus(V(o3), Scalar(o3)),
    ],
    ["Lorentz gated(uniformRep(40))", gated(uniformRep(40, lorentz))],
  ];

  it.each(reps)("matches y = W(x) x written out entry by entry: %s", (_, rep) => {
    const layer = new BiLinear(rep, rep, { rng: rng(1) });
    expect(layer.pairs().length).toBeGreaterThan(0);
    const bs = 5;
    const x = randomBatch(rng(2), bs, rep.size);
    const y = forward(layer, x, rep.size);
    const ref = reference(layer, x, bs);
    const scale = Math.sqrt(ref.reduce((a, v) => a + v * v, 0) / ref.length);
    let diff = 0;
    for (let i = 0; i < y.length; i++) diff = Math.max(diff, Math.abs(y[i]! - ref[i]!));
    expect(diff / scale).toBeLessThan(1e-5);
    layer.dispose();
  });

  it("applyResidual is apply(x) + x, and needs equal sizes", () => {
    const rep = gated(uniformRep(64, o3));
    const layer = new BiLinear(rep, rep, { rng: rng(4) });
    const bs = 3;
    const x = randomBatch(rng(5), bs, rep.size);
    const y = forward(layer, x, rep.size);
    const xt = tf.tensor2d(Float32Array.from(x), [bs, rep.size]);
    const r = layer.applyResidual(xt);
    const got = r.dataSync();
    let diff = 0;
    for (let i = 0; i < got.length; i++) diff = Math.max(diff, Math.abs(got[i]! - (y[i]! + x[i]!)));
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([xt, r]);
    const other = new BiLinear(rep, uniformRep(64, o3), { rng: rng(6) });
    const z = tf.zeros([1, rep.size]) as tf.Tensor2D;
    expect(() => other.applyResidual(z)).toThrow(/a residual needs equal input and output sizes/);
    tf.dispose(z);
    other.dispose();
    layer.dispose();
  });

  it("uses both contraction orders where each is cheaper", () => {
    const rep = gated(uniformRep(64, o3));
    const layer = new BiLinear(rep, rep, { rng: rng(3) });
    const orders = new Set(layer.pairs().map((p) => p.order));
    expect(orders).toEqual(new Set(["zx", "wx"]));
    layer.dispose();
  });

  const groups = [
    ["O(3)", O(3), 1e-5],
    ["SO(3)", SO(3), 1e-5],
    ["O(5)", O(5), 1e-5],
    ["Lorentz", lorentz, 1e-3],
  ] as const;
  it.each(groups)("is equivariant on random inputs: %s", (_, g, tol) => {
    const rep = gated(uniformRep(48, g));
    const layer = new BiLinear(rep, rep, { rng: rng(4) });
    const err = worstEquivarianceError(layer, rep, rep, rng(5));
    expect(err).toBeLessThan(tol);
    layer.dispose();
  });

  it("passes gradients to every coefficient variable and to its input", () => {
    const rep = gated(uniformRep(32, o3));
    const layer = new BiLinear(rep, rep, { rng: rng(6) });
    const x = tf.tensor2d(Float32Array.from(randomBatch(rng(7), 8, rep.size)), [8, rep.size]);
    const vars = layer.weights().map((w) => w.variable);
    expect(vars.length).toBe(layer.pairs().length);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(layer.apply(x))) as tf.Scalar, vars);
    for (const w of layer.weights()) {
      expect(
        tf.tidy(() => tf.norm(grads[w.variable.name]!).dataSync()[0]!),
        w.name,
      ).toBeGreaterThan(0);
    }
    const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.square(layer.apply(v as tf.Tensor2D))))(x);
    expect(tf.tidy(() => tf.norm(dx).dataSync()[0]!)).toBeGreaterThan(0);
    tf.dispose([x, dx, ...Object.values(grads)]);
    layer.dispose();
  });

  it("starts near unit output variance for unit inputs, and takes emlp's fixed gain on request", () => {
    const rep = gated(uniformRep(64, o3));
    const x = randomBatch(rng(8), 400, rep.size);
    let mean = 0;
    for (let s = 0; s < 4; s++) {
      const layer = new BiLinear(rep, rep, { rng: rng(10 + s) });
      const y = forward(layer, x, rep.size);
      // only the coordinates that some block reaches
      const reached = new Set(
        layer.pairs().flatMap((p) => p.outCopies.flatMap((c) => Array.from(c))),
      );
      let acc = 0;
      for (let i = 0; i < y.length; i++) if (reached.has(i % rep.size)) acc += y[i]! ** 2;
      mean += acc / ((y.length / rep.size) * reached.size) / 4;
      layer.dispose();
    }
    expect(mean).toBeGreaterThan(0.8);
    expect(mean).toBeLessThan(1.25);
    const emlp = new BiLinear(rep, rep, { rng: rng(9), gain: 0.1 });
    expect(emlp.pairs().every((p) => p.gain === 0.1)).toBe(true);
    emlp.dispose();
  });
});
