import { GATE_GRAD_KERNEL, GATE_KERNEL, type GatePlan } from "@isotropy/core";
import { Lorentz, O, S } from "@isotropy/groups";
import { GatedNonlinearity, gated, gateIndices, swish, uniformRep } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { type Rep, Scalar, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureNodeBackend } from "../src/index.js";
import { read, relErr, requireNode, values } from "./helpers.js";

// The native fused gate (native/gate.cc) against GatedNonlinearity's composite of tfjs ops on
// the cpu backend: values and the gradient of sum(y * r) in x, for reps with Swish-only,
// gated and permutation leaves, batch sizes 1, 7 and 300, one and two threads.

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});
afterAll(() => {
  configureNodeBackend({ threads: 1 });
});

async function viaLayer(
  backend: string,
  layer: GatedNonlinearity,
  xv: Float32Array,
  rv: Float32Array,
  bs: number,
) {
  await tf.setBackend(backend);
  const x = tf.tensor2d(xv, [bs, layer.inputSize]);
  const r = tf.tensor2d(rv, [bs, layer.outputSize]);
  const loss = (v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v as tf.Tensor2D), r)) as tf.Scalar;
  const y = tf.tidy(() => read(layer.apply(x)));
  const g = tf.grad(loss)(x);
  const dx = read(g);
  tf.dispose([x, r, g]);
  return { y, dx };
}

const reps: [string, () => Rep][] = [
  ["uniformRep(96, O(3))", () => uniformRep(96, O(3))],
  ["uniformRep(64, O(1,3))", () => uniformRep(64, Lorentz())],
  [
    "3*Scalar + V under S(4) (permutation leaf)",
    () =>
      Scalar(S(4))
        .times(3)
        .plus(V(S(4))),
  ],
  ["5*Scalar (Swish only)", () => Scalar(O(3)).times(5)],
];

describe("fused gate (node) against the composite (cpu)", () => {
  for (const [label, make] of reps) {
    for (const bs of [1, 7, 300]) {
      it(`${label}, batch ${bs}`, async () => {
        const rep = make();
        const layer = new GatedNonlinearity(rep);
        expect(layer.inputSize).toBe(gated(rep).size);
        const xv = values(bs * layer.inputSize, 11 + bs).map((v) => 4 * v);
        const rv = values(bs * layer.outputSize, 5 + bs);
        const want = await viaLayer("cpu", layer, xv, rv, bs);
        for (const threads of [1, 2]) {
          configureNodeBackend({ threads });
          const got = await viaLayer("node", layer, xv, rv, bs);
          expect(relErr(got.y, want.y)).toBeLessThan(1e-6);
          expect(relErr(got.dx, want.dx)).toBeLessThan(1e-6);
        }
        layer.dispose();
      });
    }
  }

  it("plans the layer's own gate indices, once", () => {
    const rep = uniformRep(96, O(3));
    const layer = new GatedNonlinearity(rep);
    const plan = layer.fusedPlan();
    expect(plan).toBe(layer.fusedPlan());
    expect(plan.inputSize).toBe(gated(rep).size);
    expect(Array.from(plan.gate)).toEqual(Array.from(gateIndices(rep)));
  });
});

describe("fused gate kernels reject what they cannot run", () => {
  const run = (name: string, inputs: Record<string, tf.Tensor>, plan: unknown) =>
    tf.tidy(() => tf.engine().runKernel(name, inputs, { plan } as unknown as tf.NamedAttrMap));
  const plan: GatePlan = { inputSize: 3, gate: Int32Array.of(2, 2) };

  it("a missing or malformed plan, naming the field", async () => {
    await tf.setBackend("node");
    const x = tf.zeros([2, 3]);
    expect(() => run(GATE_KERNEL, { x }, undefined)).toThrow(/IsotropyGate: attrs.plan/);
    expect(() => run(GATE_KERNEL, { x }, { inputSize: 3, gate: [0, 1] })).toThrow(
      /plan.gate must be an Int32Array/,
    );
    expect(() => run(GATE_KERNEL, { x }, { inputSize: 3, gate: Int32Array.of(0, 3) })).toThrow(
      /column 3 >= 3/,
    );
    expect(() => run(GATE_KERNEL, { x }, { inputSize: 0, gate: Int32Array.of(0) })).toThrow(
      /inputSize/,
    );
    x.dispose();
  });

  it("inputs of the wrong shape or dtype, naming the input", async () => {
    await tf.setBackend("node");
    const x = tf.zeros([2, 4]);
    expect(() => run(GATE_KERNEL, { x }, plan)).toThrow(/x must be \[batch, 3\], got \[2,4\]/);
    const xi = tf.zeros([2, 3], "int32");
    expect(() => run(GATE_KERNEL, { x: xi }, plan)).toThrow(/x must be float32, got int32/);
    const x3 = tf.zeros([2, 3]);
    const dy = tf.zeros([2, 3]);
    expect(() => run(GATE_GRAD_KERNEL, { dy, x: x3 }, plan)).toThrow(/dy must have shape \[2,2\]/);
    expect(() => run(GATE_GRAD_KERNEL, { x: x3 }, plan)).toThrow(/input dy is missing/);
    tf.dispose([x, xi, x3, dy]);
  });

  it("computes x * sigmoid(gate column) and its gradient by hand", async () => {
    await tf.setBackend("node");
    const x = tf.tensor2d([[1, -2, 0.5]]);
    const y = run(GATE_KERNEL, { x }, plan) as tf.Tensor;
    const s = 1 / (1 + Math.exp(-0.5));
    expect(Array.from(y.dataSync())).toEqual([expect.closeTo(s, 6), expect.closeTo(-2 * s, 6)]);
    const dy = tf.tensor2d([[1, 1]]);
    const dx = run(GATE_GRAD_KERNEL, { dy, x }, plan) as tf.Tensor;
    // d/dx0 = s, d/dx1 = s, d/dx2 = (x0 + x1) s (1 - s)
    const want = [s, s, (1 - 2) * s * (1 - s)];
    Array.from(dx.dataSync()).forEach((v, i) => {
      expect(v).toBeCloseTo(want[i] as number, 6);
    });
    tf.dispose([x, y, dy, dx]);
  });
});

describe("swish through the fused gate", () => {
  it("matches the composite on cpu, forward and gradient, as the MLP uses it", async () => {
    const bs = 33;
    const n = 70;
    const xv = values(bs * n, 41).map((v) => v * 6);
    const rv = values(bs * n, 42);
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor2d(xv, [bs, n]);
      const r = tf.tensor2d(rv, [bs, n]);
      const y = swish(x);
      const dx = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(swish(v as tf.Tensor2D), r)))(x);
      const out = { y: Float32Array.from(y.dataSync()), dx: Float32Array.from(dx.dataSync()) };
      tf.dispose([x, r, y, dx]);
      return out;
    };
    const want = await run("cpu");
    const got = await run("node");
    expect(relErr(got.y, want.y), "y").toBeLessThan(1e-6);
    expect(relErr(got.dx, want.dx), "dx").toBeLessThan(1e-6);
  });
});

describe("fused gate gradient on irregular gate plans", () => {
  const sig = (v: number) => 1 / (1 + Math.exp(-v));

  /** d sum(y * dy) / dx in float64, y[i] = x[i] sigmoid(x[gate[i]]). */
  function reference(plan: GatePlan, xv: Float32Array, dyv: Float32Array, bs: number) {
    const nIn = plan.inputSize;
    const nOut = plan.gate.length;
    const dx = new Float64Array(bs * nIn);
    for (let s = 0; s < bs; s++)
      for (let i = 0; i < nOut; i++) {
        const c = plan.gate[i]!;
        const xi = xv[s * nIn + i]!;
        const g = sig(xv[s * nIn + c]!);
        const d = dyv[s * nOut + i]!;
        dx[s * nIn + i] += d * g;
        dx[s * nIn + c] += d * xi * g * (1 - g);
      }
    return dx;
  }

  const plans: [string, GatePlan][] = [
    // Outputs 0..6 of 8 inputs. Column 2 gates output 0 and is output 2, in a Swish run with
    // output 1, so that run finds one of its columns already holding a gate share. Column 1
    // gates output 4 after its own run; column 5 is output 5 (Swish) and gates output 6;
    // column 7 gates output 3 and is no output.
    [
      "gate columns that are also outputs",
      { inputSize: 8, gate: Int32Array.of(2, 1, 2, 7, 1, 5, 5) },
    ],
    // Outputs 0..4 of 7 inputs: column 5 gates two runs (outputs 0, and 2 and 3), column 6
    // gates nothing and is no output (its gradient is zero).
    [
      "a gate shared by two runs, a column with no share",
      { inputSize: 7, gate: Int32Array.of(5, 1, 5, 5, 4) },
    ],
  ];
  for (const [label, plan] of plans)
    for (const featureMajor of [false, true]) {
      it(`${label}, ${featureMajor ? "feature-major" : "batch-major"}: every share, none lost`, async () => {
        await tf.setBackend("node");
        const bs = 16;
        const nIn = plan.inputSize;
        const nOut = plan.gate.length;
        const xv = values(bs * nIn, 3).map((v) => 3 * v);
        const dyv = values(bs * nOut, 4);
        const want = reference(plan, xv, dyv, bs);
        const attrs = { plan, ...(featureMajor ? { featureMajor: true } : {}) };
        const dx = tf.tidy(() => {
          const x = tf.tensor2d(xv, [bs, nIn]);
          const dy = tf.tensor2d(dyv, [bs, nOut]);
          const args = featureMajor ? { dy: tf.transpose(dy), x: tf.transpose(x) } : { dy, x };
          const out = tf
            .engine()
            .runKernel(GATE_GRAD_KERNEL, args, attrs as unknown as tf.NamedAttrMap) as tf.Tensor;
          return featureMajor ? tf.transpose(out) : out;
        });
        expect(relErr(Float32Array.from(dx.dataSync()), Float32Array.from(want))).toBeLessThan(
          1e-6,
        );
        dx.dispose();
      });
    }
});
