import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from "@isotropy/core";
import { Adam } from "@isotropy/train";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureNodeBackend } from "../src/index.js";
import { requireNode, values } from "./helpers.js";

// core's ADAM_UPDATE_KERNEL on the addon against the composite of tfjs ops on the cpu backend:
// the same bits, for odd sizes, both thread settings (70001 elements cross the pool's grain),
// and through train's Adam.

beforeAll(requireNode);
afterAll(() => {
  configureNodeBackend({ threads: 1 });
});

type Arrays = { w: Float32Array; g: Float32Array; m: Float32Array; v: Float32Array };

/** Weights, gradients (some zero, some large) and moments (v >= 0) of n entries. */
function arrays(n: number, seed: number): Arrays {
  const g = values(n, seed + 1).map((x, i) => (i % 7 === 0 ? 0 : i % 5 === 0 ? x * 1e3 : x));
  return {
    w: values(n, seed),
    g,
    m: values(n, seed + 2).map((x) => x * 0.1),
    v: values(n, seed + 3).map((x) => x * x * 0.01),
  };
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

function attrsAt(t: number, lr: number): AdamUpdateAttrs {
  const [beta1, beta2] = [0.9, 0.999];
  return { beta1, beta2, epsilon: 1e-8, learningRate: lr, c1: 1 - beta1 ** t, c2: 1 - beta2 ** t };
}

/** The composite (train's Adam without the kernel), on the current backend. */
function composite(a: Arrays, k: AdamUpdateAttrs): Float32Array[] {
  return tf.tidy(() => {
    const [w, g, m0, v0] = [a.w, a.g, a.m, a.v].map((x) => tf.tensor1d(x));
    const m = tf.add(tf.mul(m0!, k.beta1), tf.mul(g!, 1 - k.beta1));
    const v = tf.add(tf.mul(v0!, k.beta2), tf.mul(tf.square(g!), 1 - k.beta2));
    const update = tf.div(tf.div(m, k.c1), tf.add(tf.sqrt(tf.div(v, k.c2)), k.epsilon));
    const wn = tf.sub(w!, tf.mul(update, k.learningRate));
    return [wn, m, v].map((t) => t.dataSync() as Float32Array);
  });
}

function fused(a: Arrays, k: AdamUpdateAttrs, shape = [a.w.length]): Float32Array[] {
  return tf.tidy(() => {
    const ins = Object.fromEntries(
      Object.entries(a).map(([name, x]) => [name, tf.tensor(x, shape)]),
    );
    const outs = tf
      .engine()
      .runKernel(ADAM_UPDATE_KERNEL, ins, k as unknown as tf.NamedAttrMap) as tf.Tensor[];
    expect(outs.map((t) => t.shape)).toEqual([shape, shape, shape]);
    return outs.map((t) => t.dataSync() as Float32Array);
  });
}

describe.each([1, 2])("ADAM_UPDATE_KERNEL, %i thread(s)", (threads) => {
  beforeAll(() => {
    configureNodeBackend({ threads });
  });
  it.each([1, 7, 8, 33, 1000, 70001])("gives the composite's bits, %i entries", async (n) => {
    for (const [t, lr] of [
      [1, 3e-3],
      [2, 1e-2],
      [1000, 3e-4],
    ] as const) {
      const a = arrays(n, 10 * n + t);
      const k = attrsAt(t, lr);
      await tf.setBackend("cpu");
      const want = composite(a, k);
      await tf.setBackend("node");
      const got = fused(a, k);
      for (let i = 0; i < 3; i++) expect(bits(got[i]!)).toEqual(bits(want[i]!));
      // the update moved the weights (a test of something, not of zeros)
      expect(bits(got[0]!)).not.toEqual(bits(a.w));
    }
  });
});

describe("ADAM_UPDATE_KERNEL inputs", () => {
  beforeAll(async () => {
    await tf.setBackend("node");
  });
  const a = arrays(6, 1);

  it("keeps any shape", () => {
    const want = fused(a, attrsAt(3, 1e-3));
    const got = fused(a, attrsAt(3, 1e-3), [2, 3]);
    for (let i = 0; i < 3; i++) expect(bits(got[i]!)).toEqual(bits(want[i]!));
  });

  it("refuses mismatched shapes, other dtypes and missing coefficients", () => {
    const run = (ins: Record<string, tf.Tensor>, attrs: object) => () =>
      tf.tidy(() => tf.engine().runKernel(ADAM_UPDATE_KERNEL, ins, attrs as tf.NamedAttrMap));
    const t = (x: Float32Array, shape = [x.length]) => tf.tensor(x, shape);
    const ok = { w: t(a.w), g: t(a.g), m: t(a.m), v: t(a.v) };
    expect(run({ ...ok, g: t(a.g.subarray(0, 5)) }, attrsAt(1, 1e-3))).toThrow(
      /IsotropyAdamUpdate: .*g/,
    );
    expect(run({ ...ok, m: tf.tensor(a.m, [6], "int32") }, attrsAt(1, 1e-3))).toThrow(
      /m must be float32, got int32/,
    );
    const { c2: _c2, ...noC2 } = attrsAt(1, 1e-3);
    expect(run(ok, noC2)).toThrow(/attrs.c2 must be a finite number/);
    expect(run(ok, { ...attrsAt(1, 1e-3), learningRate: Number.NaN })).toThrow(/learningRate/);
    tf.dispose(Object.values(ok));
  });
});

describe("train's Adam on node", () => {
  /** Four steps of Adam on two weights with fixed gradients; the weights and moments after. */
  async function run(backend: string): Promise<{ state: number[][]; kernels: string[] }> {
    await tf.setBackend(backend);
    const weights = [
      {
        name: "a",
        variable: tf.variable(tf.tensor(values(37, 5), [37]), true, `adam-a-${backend}`),
      },
      {
        name: "b",
        variable: tf.variable(tf.tensor(values(12, 6), [3, 4]), true, `adam-b-${backend}`),
      },
    ];
    const grads = {
      [`adam-a-${backend}`]: tf.tensor(values(37, 7), [37]),
      [`adam-b-${backend}`]: tf.tensor(values(12, 8), [3, 4]),
    };
    const adam = new Adam(weights);
    const profile = await tf.profile(() => {
      for (let s = 0; s < 4; s++) adam.apply(grads, 3e-3 * (s + 1));
    });
    const st = await adam.state();
    const state = [
      ...weights.map((w) => bits(w.variable.dataSync() as Float32Array)),
      ...[...st.m.values(), ...st.v.values()].map(bits),
    ];
    adam.dispose();
    tf.dispose([...weights.map((w) => w.variable), ...Object.values(grads)]);
    return { state, kernels: profile.kernelNames };
  }

  it("runs the kernel and ends in the same bits as the ops on cpu", async () => {
    const cpu = await run("cpu");
    const node = await run("node");
    expect(cpu.kernels).not.toContain(ADAM_UPDATE_KERNEL);
    expect(node.kernels).toContain(ADAM_UPDATE_KERNEL);
    expect(node.kernels).not.toContain("Sqrt");
    expect(node.state).toEqual(cpu.state);
  });
});
