import { ASSEMBLE_GRAD_KERNEL, ASSEMBLE_KERNEL, type AssemblyPlan, rng } from "@isotropy/core";
import { Lorentz, O, S } from "@isotropy/groups";
import { EquivariantLinear, gated, uniformRep } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { type Rep, Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { read, relErr, requireNode, values } from "./helpers.js";

// The native fused basis assembly (native/assemble.cc) against BasisAssembly's composite of tfjs
// ops on the cpu backend: x W^T + b from an EquivariantLinear's assembled W and b, and the
// gradient of sum(y * r) in x and in every coefficient (weights and bias), for reps whose pairs
// have rank 1 and rank > 1. (The layer's own apply on node skips W: fused-linear.test.ts.)

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});

async function run(
  backend: string,
  layer: EquivariantLinear,
  xv: Float32Array,
  rv: Float32Array,
  bs: number,
) {
  await tf.setBackend(backend);
  const x = tf.tensor2d(xv, [bs, layer.inputSize]);
  const r = tf.tensor2d(rv, [bs, layer.outputSize]);
  const vars = layer.weights().map((w) => w.variable);
  const apply = (v: tf.Tensor) =>
    tf.add(tf.matMul(v as tf.Tensor2D, layer.weightTransposed()), layer.bias());
  const loss = (v: tf.Tensor) => tf.sum(tf.mul(apply(v), r)) as tf.Scalar;
  const y = tf.tidy(() => read(apply(x)));
  const { value, grads } = tf.variableGrads(() => loss(x), vars);
  const gx = tf.grad(loss)(x);
  const out = { y, dx: read(gx), dc: vars.map((v) => read(grads[v.name] as tf.Tensor)) };
  tf.dispose([x, r, value, gx, ...Object.values(grads)]);
  return out;
}

const cases: [string, () => [Rep, Rep]][] = [
  ["uniformRep(96, O(3)) -> gated", () => [uniformRep(96, O(3)), gated(uniformRep(96, O(3)))]],
  [
    "uniformRep(64, O(1,3)) -> itself",
    () => [uniformRep(64, Lorentz()), uniformRep(64, Lorentz())],
  ],
  [
    "2V + T(2) -> 3 Scalar + T(2) under S(4) (rank > 1)",
    () => {
      const g = S(4);
      return [V(g).times(2).plus(T(g, 2)), Scalar(g).times(3).plus(T(g, 2))];
    },
  ],
];

describe("fused basis assembly (node) against the composite (cpu)", () => {
  for (const [label, make] of cases) {
    it(label, async () => {
      const [repIn, repOut] = make();
      const layer = new EquivariantLinear(repIn, repOut, { rng: rng(3) });
      const bs = 9;
      const xv = values(bs * layer.inputSize, 4);
      const rv = values(bs * layer.outputSize, 8);
      const want = await run("cpu", layer, xv, rv, bs);
      const got = await run("node", layer, xv, rv, bs);
      expect(relErr(got.y, want.y)).toBeLessThan(1e-5);
      expect(relErr(got.dx, want.dx)).toBeLessThan(1e-5);
      expect(got.dc.length).toBe(want.dc.length);
      got.dc.forEach((d, k) => {
        expect(relErr(d, want.dc[k] as Float32Array)).toBeLessThan(1e-5);
      });
      // the assembled weight itself, bit for bit: each entry is the same sum either way
      await tf.setBackend("node");
      const wNode = tf.tidy(() => read(layer.weight()));
      await tf.setBackend("cpu");
      const wCpu = tf.tidy(() => read(layer.weight()));
      expect(relErr(wNode, wCpu)).toBeLessThan(1e-6);
      layer.dispose();
    });
  }
});

describe("fused assembly kernels reject what they cannot run", () => {
  const call = (name: string, inputs: Record<string, tf.Tensor>, plan: unknown) =>
    tf.tidy(() => tf.engine().runKernel(name, inputs, { plan } as unknown as tf.NamedAttrMap));
  const pair = (index: number[]) => ({
    rows: 1,
    rank: 1,
    blockSize: 2,
    basisT: Float32Array.of(1, 2),
    index: Int32Array.from(index),
  });

  it("a malformed plan, naming what is wrong", async () => {
    await tf.setBackend("node");
    const c0 = tf.ones([1, 1]);
    expect(() => call(ASSEMBLE_KERNEL, { c0 }, undefined)).toThrow(/attrs.plan/);
    expect(() => call(ASSEMBLE_KERNEL, { c0 }, { size: 4, pairs: [pair([0, 4])] })).toThrow(
      /index 4 outside \[0, 4\)/,
    );
    const twice: AssemblyPlan = { size: 4, pairs: [pair([1, 2]), pair([2, 3])] };
    expect(() => call(ASSEMBLE_KERNEL, { c0, c1: c0 }, twice)).toThrow(
      /position 2 is written twice/,
    );
    const short = { size: 4, pairs: [{ ...pair([0, 1]), basisT: Float32Array.of(1) }] };
    expect(() => call(ASSEMBLE_KERNEL, { c0 }, short)).toThrow(
      /basisT must be a Float32Array of length 2/,
    );
    c0.dispose();
  });

  it("coefficients of the wrong shape, naming the input, and the placement by hand", async () => {
    await tf.setBackend("node");
    const plan: AssemblyPlan = { size: 4, pairs: [pair([3, 0])] };
    const bad = tf.ones([2, 1]);
    expect(() => call(ASSEMBLE_KERNEL, { c0: bad }, plan)).toThrow(/c0 must have shape \[1,1\]/);
    expect(() => call(ASSEMBLE_KERNEL, {}, plan)).toThrow(/input c0 is missing/);
    const c0 = tf.tensor2d([[3]]);
    const w = call(ASSEMBLE_KERNEL, { c0 }, plan) as tf.Tensor;
    expect(Array.from(w.dataSync())).toEqual([6, 0, 0, 3]);
    const dw = tf.tensor1d([1, 10, 100, 1000]);
    const [dc] = call(ASSEMBLE_GRAD_KERNEL, { dw }, plan) as unknown as tf.Tensor[];
    expect(Array.from((dc as tf.Tensor).dataSync())).toEqual([1000 * 1 + 1 * 2]);
    tf.dispose([bad, c0, w, dw, dc as tf.Tensor]);
  });
});
