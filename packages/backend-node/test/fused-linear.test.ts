import { LINEAR_GRAD_KERNEL, LINEAR_KERNEL, type LinearPlan, rng } from "@isotropy/core";
import { Lorentz, O, S } from "@isotropy/groups";
import { EquivariantLinear, gated, uniformRep } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { type Rep, Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureNodeBackend, type LinearOrder } from "../src/index.js";
import { read, relErr, requireNode, values } from "./helpers.js";

// The native fused equivariant linear map (native/linear.cc) against x W^T with the assembled W
// on the cpu backend: values, and gradients of sum(y * r) in x and in every coefficient, for
// reps whose pairs have rank 1 and rank > 1, sparse and dense bases, vector, matrix and
// permutation leaves, in each of the three orders forced on every pair and in the addon's own
// choice, batch sizes 1, 9 and 64, one and two threads, OpenBLAS and the bundled SGEMM.

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});
afterAll(() => {
  configureNodeBackend({ threads: 1, bundled: false, linearOrder: "auto" });
});

interface Case {
  layer: EquivariantLinear;
  plan: LinearPlan;
  coeffs: tf.Variable[];
}

function makeCase(repIn: Rep, repOut: Rep): Case {
  const layer = new EquivariantLinear(repIn, repOut, { rng: rng(7), bias: false });
  return { layer, plan: layer.linearPlan(), coeffs: layer.weights().map((w) => w.variable) };
}

type Result = { y: Float32Array; dx: Float32Array; dc: Float32Array[] };

/** x W^T through the assembled W on cpu, and the gradients of sum(y * r). */
async function reference(c: Case, xv: Float32Array, rv: Float32Array, bs: number) {
  await tf.setBackend("cpu");
  const x = tf.tensor2d(xv, [bs, c.layer.inputSize]);
  const r = tf.tensor2d(rv, [bs, c.layer.outputSize]);
  const apply = (v: tf.Tensor) => tf.matMul(v as tf.Tensor2D, c.layer.weightTransposed());
  const loss = (v: tf.Tensor) => tf.sum(tf.mul(apply(v), r)) as tf.Scalar;
  const y = tf.tidy(() => read(apply(x)));
  const { value, grads } = tf.variableGrads(() => loss(x), c.coeffs);
  const gx = tf.grad(loss)(x);
  const out: Result = {
    y,
    dx: read(gx),
    dc: c.coeffs.map((v) => read(grads[v.name] as tf.Tensor)),
  };
  tf.dispose([x, r, value, gx, ...Object.values(grads)]);
  return out;
}

const coeffInputs = (cs: readonly tf.Tensor[]) =>
  Object.fromEntries(cs.map((t, k) => [`c${k}`, t]));

/** The same through the fused kernels on node. */
async function fused(c: Case, xv: Float32Array, rv: Float32Array, bs: number) {
  await tf.setBackend("node");
  const x = tf.tensor2d(xv, [bs, c.layer.inputSize]);
  const dy = tf.tensor2d(rv, [bs, c.layer.outputSize]);
  const cs = c.coeffs.map((v) => tf.clone(v));
  const attrs = { plan: c.plan } as unknown as tf.NamedAttrMap;
  const y = tf.engine().runKernel(LINEAR_KERNEL, { x, ...coeffInputs(cs) }, attrs) as tf.Tensor;
  const grads = tf
    .engine()
    .runKernel(LINEAR_GRAD_KERNEL, { dy, x, ...coeffInputs(cs) }, attrs) as tf.Tensor[];
  expect(y.shape).toEqual([bs, c.layer.outputSize]);
  expect(grads.length).toBe(1 + cs.length);
  expect(grads[0]?.shape).toEqual([bs, c.layer.inputSize]);
  grads.slice(1).forEach((g, k) => {
    expect(g.shape).toEqual(cs[k]?.shape);
  });
  const out: Result = { y: read(y), dx: read(grads[0] as tf.Tensor), dc: grads.slice(1).map(read) };
  tf.dispose([x, dy, y, ...cs, ...grads]);
  return out;
}

const orders: LinearOrder[] = ["auto", "basis", "coefficients", "dense"];
const settings = [
  ...orders.map((linearOrder) => ({ threads: 1, bundled: false, linearOrder })),
  { threads: 2, bundled: false, linearOrder: "auto" as LinearOrder },
  { threads: 2, bundled: true, linearOrder: "basis" as LinearOrder },
  { threads: 2, bundled: true, linearOrder: "coefficients" as LinearOrder },
];

const cases: [string, () => [Rep, Rep], number[]][] = [
  [
    "O(3) uniformRep(384) -> gated (EMLP(384) hidden: T(3) x T(3) is not sparse)",
    () => [uniformRep(384, O(3)), gated(uniformRep(384, O(3)))],
    [9, 64],
  ],
  [
    "O(5) 2V -> gated(uniformRep(96)) (an input layer)",
    () => {
      const g = O(5);
      return [V(g).times(2), gated(uniformRep(96, g))];
    },
    [1, 9, 64],
  ],
  [
    "Lorentz uniformRep(64) -> itself",
    () => [uniformRep(64, Lorentz()), uniformRep(64, Lorentz())],
    [1, 9],
  ],
  [
    "S(4) 2V + T(2) -> 3 Scalar + T(2) (rank > 1, permutation leaves)",
    () => {
      const g = S(4);
      return [V(g).times(2).plus(T(g, 2)), Scalar(g).times(3).plus(T(g, 2))];
    },
    [1, 9],
  ],
];

describe.each(cases)("fused EquivariantLinear: %s", (_, make, batches) => {
  let c: Case;
  const refs = new Map<number, { xv: Float32Array; rv: Float32Array; ref: Result }>();
  beforeAll(async () => {
    await tf.setBackend("cpu");
    const [repIn, repOut] = make();
    c = makeCase(repIn, repOut);
    for (const bs of batches) {
      const xv = values(bs * c.layer.inputSize, 21 + bs);
      const rv = values(bs * c.layer.outputSize, 53 + bs);
      refs.set(bs, { xv, rv, ref: await reference(c, xv, rv, bs) });
    }
  });
  afterAll(() => {
    c.layer.dispose();
  });

  const grid = settings.flatMap((s) => batches.map((bs) => ({ ...s, bs })));
  it.each(grid)(
    "batch $bs, $threads thread(s), bundled $bundled, order $linearOrder",
    async ({ bs, ...s }) => {
      configureNodeBackend(s);
      const { xv, rv, ref } = refs.get(bs) as { xv: Float32Array; rv: Float32Array; ref: Result };
      const got = await fused(c, xv, rv, bs);
      configureNodeBackend({ threads: 1, bundled: false, linearOrder: "auto" });
      expect(relErr(got.y, ref.y), "y").toBeLessThan(1e-5);
      expect(relErr(got.dx, ref.dx), "dx").toBeLessThan(1e-5);
      expect(got.dc.length).toBe(ref.dc.length);
      ref.dc.forEach((d, k) => {
        expect(relErr(got.dc[k] as Float32Array, d), `dc${k}`).toBeLessThan(1e-5);
      });
    },
  );
});

describe("fused EquivariantLinear: through layer.apply", () => {
  it("the layer on node (dispatching to the kernels) matches its composite on cpu, bias included", async () => {
    await tf.setBackend("cpu");
    const g = O(3);
    const layer = new EquivariantLinear(uniformRep(96, g), gated(uniformRep(96, g)), {
      rng: rng(3),
    });
    const vars = layer.weights().map((w) => w.variable);
    // a nonzero bias, so that its path is checked too
    for (const w of layer.weights().filter((w) => w.name.startsWith("bias"))) {
      w.variable.assign(tf.randomNormal(w.variable.shape, 0, 1, "float32", 5));
    }
    const bs = 9;
    const xv = values(bs * layer.inputSize, 4);
    const rv = values(bs * layer.outputSize, 8);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor2d(xv, [bs, layer.inputSize]);
      const r = tf.tensor2d(rv, [bs, layer.outputSize]);
      const loss = (v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v as tf.Tensor2D), r)) as tf.Scalar;
      const y = tf.tidy(() => read(layer.apply(x)));
      const { value, grads } = tf.variableGrads(() => loss(x), vars);
      const gx = tf.grad(loss)(x);
      const out = { y, dx: read(gx), dc: vars.map((v) => read(grads[v.name] as tf.Tensor)) };
      tf.dispose([x, r, value, gx, ...Object.values(grads)]);
      return out;
    };
    const want = await run("cpu");
    const got = await run("node");
    expect(relErr(got.y, want.y)).toBeLessThan(1e-5);
    expect(relErr(got.dx, want.dx)).toBeLessThan(1e-5);
    want.dc.forEach((d, k) => {
      expect(relErr(got.dc[k] as Float32Array, d), vars[k]?.name).toBeLessThan(1e-5);
    });
    layer.dispose();
  });
});

describe("fused EquivariantLinear: arguments", () => {
  const call = (name: string, inputs: Record<string, tf.Tensor>, plan: unknown) =>
    tf.tidy(() => tf.engine().runKernel(name, inputs, { plan } as unknown as tf.NamedAttrMap));
  // One pair: a 2-component out leaf from a 1-component in leaf, B = [1, 2]^T, out copy at
  // columns [3, 0] of a 4-column y, in copy at column 1 of a 2-column x.
  const plan = (over: Record<string, unknown> = {}): LinearPlan => ({
    inputSize: 2,
    outputSize: 4,
    pairs: [
      {
        outSize: 2,
        inSize: 1,
        rank: 1,
        outCopies: 1,
        inCopies: 1,
        basisT: Float32Array.of(1, 2),
        out: Int32Array.of(3, 0),
        in: Int32Array.of(1),
        ...over,
      },
    ],
  });

  it("a hand-computed map and its gradient, in every order", async () => {
    await tf.setBackend("node");
    for (const linearOrder of orders) {
      configureNodeBackend({ linearOrder });
      const p = plan();
      const x = tf.tensor2d([[5, 7]]);
      const c0 = tf.tensor2d([[3]]);
      const y = call(LINEAR_KERNEL, { x, c0 }, p) as tf.Tensor;
      // y[3] = 3 * 1 * 7, y[0] = 3 * 2 * 7
      expect(Array.from(y.dataSync()), linearOrder).toEqual([42, 0, 0, 21]);
      const dy = tf.tensor2d([[1, 10, 100, 1000]]);
      const [dx, dc] = call(LINEAR_GRAD_KERNEL, { dy, x, c0 }, p) as unknown as tf.Tensor[];
      expect(Array.from((dx as tf.Tensor).dataSync()), linearOrder).toEqual([0, 3 * (1000 + 2)]);
      expect(Array.from((dc as tf.Tensor).dataSync()), linearOrder).toEqual([7 * (1000 + 2)]);
      tf.dispose([x, c0, y, dy, dx as tf.Tensor, dc as tf.Tensor]);
    }
    configureNodeBackend({ linearOrder: "auto" });
  });

  it("a bias input is added to every row, and its gradient is dy summed over the batch", async () => {
    await tf.setBackend("node");
    const p = plan();
    const x = tf.tensor2d([
      [5, 7],
      [0, 1],
    ]);
    const c0 = tf.tensor2d([[3]]);
    const bias = tf.tensor1d([1, 2, 3, 4]);
    const y = call(LINEAR_KERNEL, { x, c0, bias }, p) as tf.Tensor;
    expect(Array.from(y.dataSync())).toEqual([43, 2, 3, 25, 7, 2, 3, 7]);
    const dy = tf.tensor2d([
      [1, 10, 100, 1000],
      [2, 20, 200, 2000],
    ]);
    const outs = call(LINEAR_GRAD_KERNEL, { dy, x, c0, bias }, p) as unknown as tf.Tensor[];
    expect(outs).toHaveLength(3);
    expect(Array.from((outs[2] as tf.Tensor).dataSync())).toEqual([3, 30, 300, 3000]);
    expect(Array.from((outs[1] as tf.Tensor).dataSync())).toEqual([7 * 1002 + 1 * 2004]);
    expect(() => call(LINEAR_KERNEL, { x, c0, bias: tf.ones([3]) }, p)).toThrow(
      /bias must have shape \[4\]/,
    );
    tf.dispose([x, c0, bias, y, dy, ...outs]);
  });

  it("batch 0 gives an empty y and zero coefficient gradients", async () => {
    await tf.setBackend("node");
    const x = tf.zeros([0, 2]);
    const c0 = tf.tensor2d([[3]]);
    const y = call(LINEAR_KERNEL, { x, c0 }, plan()) as tf.Tensor;
    expect(y.shape).toEqual([0, 4]);
    const dy = tf.zeros([0, 4]);
    const [dx, dc] = call(LINEAR_GRAD_KERNEL, { dy, x, c0 }, plan()) as unknown as tf.Tensor[];
    expect((dx as tf.Tensor).shape).toEqual([0, 2]);
    expect(Array.from((dc as tf.Tensor).dataSync())).toEqual([0]);
    tf.dispose([x, c0, y, dy, dx as tf.Tensor, dc as tf.Tensor]);
  });

  it("a malformed plan, naming what is wrong", async () => {
    await tf.setBackend("node");
    const x = tf.ones([1, 2]);
    const c0 = tf.ones([1, 1]);
    expect(() => call(LINEAR_KERNEL, { x, c0 }, undefined)).toThrow(/attrs.plan/);
    expect(() => call(LINEAR_KERNEL, { x, c0 }, plan({ out: Int32Array.of(4, 0) }))).toThrow(
      /pair 0: out holds column 4 >= 4/,
    );
    expect(() => call(LINEAR_KERNEL, { x, c0 }, plan({ in: Int32Array.of(2) }))).toThrow(
      /pair 0: in holds column 2 >= 2/,
    );
    expect(() => call(LINEAR_KERNEL, { x, c0 }, plan({ basisT: Float32Array.of(1) }))).toThrow(
      /basisT must be a Float32Array of length 2/,
    );
    expect(() => call(LINEAR_KERNEL, { x, c0 }, plan({ rank: 0 }))).toThrow(/positive integers/);
    expect(() =>
      call(LINEAR_KERNEL, { x, c0 }, plan({ basisT: Float32Array.of(1, Number.NaN) })),
    ).toThrow(/basisT is not finite/);
    tf.dispose([x, c0]);
  });

  it("inputs that do not match the plan, naming the input", async () => {
    await tf.setBackend("node");
    const x = tf.ones([1, 2]);
    const c0 = tf.ones([1, 1]);
    expect(() => call(LINEAR_KERNEL, { x: tf.ones([1, 3]), c0 }, plan())).toThrow(
      /x must be \[batch, 2\]/,
    );
    expect(() => call(LINEAR_KERNEL, { x, c0: tf.ones([2, 1]) }, plan())).toThrow(
      /c0 must have shape \[1,1\]/,
    );
    expect(() => call(LINEAR_KERNEL, { x }, plan())).toThrow(/input c0 is missing/);
    expect(() => call(LINEAR_KERNEL, { x, c0, c1: c0 }, plan())).toThrow(/c1 has no pair/);
    expect(() => call(LINEAR_GRAD_KERNEL, { dy: tf.ones([1, 3]), x, c0 }, plan())).toThrow(
      /dy must have shape \[1,4\]/,
    );
    expect(() => configureNodeBackend({ linearOrder: "sideways" as LinearOrder })).toThrow(
      /linearOrder must be/,
    );
    tf.dispose([x, c0]);
  });
});
