import {
  BILINEAR_GRAD_KERNEL,
  BILINEAR_KERNEL,
  GATE_GRAD_KERNEL,
  GATE_KERNEL,
  LINEAR_GRAD_KERNEL,
  LINEAR_KERNEL,
  rng,
} from "@isotropy/core";
import { type Group, Lorentz, O } from "@isotropy/groups";
import { applyEMLPBlock, EMLP, EMLPBlock, featureMajorReady, uniformRep } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureNodeBackend } from "../src/index.js";
import { poisonOutputs } from "../src/native-util.js";
import { read, relErr, requireNode, values } from "./helpers.js";

// The layer kernels with attrs.featureMajor (activations [features, batch]) against the same
// kernels batch-major: the same arithmetic on the same rows, so the same bits, except the gate's
// gradient into gate columns, whose sums the compiler may fuse differently (last bit). Batch 37
// copies rows in and out; batch 40 (a multiple of 8) is read and written in place.

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});
afterAll(() => {
  configureNodeBackend({ threads: 1 });
});

/** A kernel's outputs (one tensor or several) as arrays, transposed back when feature-major. */
function outputs(kernel: string, inputs: tf.NamedTensorMap, attrs: object, fm: boolean) {
  return tf.tidy(() => {
    const out = tf.engine().runKernel(kernel, inputs, attrs as tf.NamedAttrMap);
    const list = Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
    // The first output is an activation (y or dx); the rest are weight gradients.
    return list.map((t, k) => read(fm && k === 0 ? tf.transpose(t) : t));
  });
}

/** Runs kernel and its gradient both ways; returns the batch-major and feature-major results. */
function bothWays(
  kernel: string,
  gradKernel: string,
  plan: object,
  weights: tf.NamedTensorMap,
  inputSize: number,
  outputSize: number,
  bs: number,
) {
  const x = tf.tensor2d(values(bs * inputSize, 3), [bs, inputSize]);
  const dy = tf.tensor2d(values(bs * outputSize, 4), [bs, outputSize]);
  const xT = tf.transpose(x);
  const dyT = tf.transpose(dy);
  const res = [false, true].map((fm) => {
    const attrs = fm ? { plan, featureMajor: true } : { plan };
    const xx = fm ? xT : x;
    return {
      y: outputs(kernel, { x: xx, ...weights }, attrs, fm),
      grad: outputs(gradKernel, { dy: fm ? dyT : dy, x: xx, ...weights }, attrs, fm),
    };
  });
  tf.dispose([x, dy, xT, dyT]);
  return { rm: res[0]!, fm: res[1]! };
}

/** The gate kernel and its gradient, both ways. */
const gateBothWays = (gate: EMLPBlock["nonlinearity"], bs: number) =>
  bothWays(
    GATE_KERNEL,
    GATE_GRAD_KERNEL,
    gate.fusedPlan(),
    {},
    gate.inputSize,
    gate.outputSize,
    bs,
  );

const expectSame = (a: Float32Array[], b: Float32Array[]) => {
  expect(b.length).toBe(a.length);
  for (const [k, v] of a.entries()) expect(b[k], `output ${k}`).toEqual(v);
};

const groups = [
  ["O(3)", () => O(3)],
  ["O(1,3)", () => Lorentz()],
] as const;

describe.each(groups)("feature-major layer kernels, %s", (_, makeGroup) => {
  const g = makeGroup();
  const block = new EMLPBlock(uniformRep(64, g), uniformRep(64, g), { rng: rng(5) });
  afterAll(() => block.dispose());
  const named = (prefix: string, ws: { variable: tf.Variable }[]) =>
    Object.fromEntries(ws.map((w, k) => [`${prefix}${k}`, w.variable]));

  for (const threads of [1, 2]) {
    for (const bs of [37, 40]) {
      it(`linear with bias, batch ${bs}, ${threads} thread(s): the same bits`, () => {
        configureNodeBackend({ threads });
        const lin = block.linear;
        const ws = lin.weights();
        const coeffs = ws.filter((w) => w.name.startsWith("coeffs."));
        const bias = tf.tidy(() => tf.randomNormal([lin.outputSize], 0, 1, "float32", 9));
        const r = bothWays(
          LINEAR_KERNEL,
          LINEAR_GRAD_KERNEL,
          lin.linearPlan(),
          { ...named("c", coeffs), bias },
          lin.inputSize,
          lin.outputSize,
          bs,
        );
        bias.dispose();
        expectSame(r.rm.y, r.fm.y);
        expectSame(r.rm.grad, r.fm.grad);
      });

      it.each([false, true])(
        `bilinear (residual %s), batch ${bs}, ${threads} thread(s): the same bits`,
        (residual) => {
          configureNodeBackend({ threads });
          const bil = block.bilinear;
          const plan = { ...bil.fusedPlan(), residual };
          const r = bothWays(
            BILINEAR_KERNEL,
            BILINEAR_GRAD_KERNEL,
            plan,
            named("theta", bil.weights()),
            bil.inputSize,
            bil.outputSize,
            bs,
          );
          expectSame(r.rm.y, r.fm.y);
          expectSame(r.rm.grad, r.fm.grad);
        },
      );

      it(`gate, batch ${bs}, ${threads} thread(s): the same values, the gradient to 1e-6`, () => {
        configureNodeBackend({ threads });
        const r = gateBothWays(block.nonlinearity, bs);
        expectSame(r.rm.y, r.fm.y);
        expect(relErr(r.fm.grad[0]!, r.rm.grad[0]!)).toBeLessThan(1e-6);
      });
    }
  }
});

// The kernels' outputs come from unzeroed memory (native-util's output). With every such array
// filled with NaN first, each kernel must give the bits it gives on fresh memory, in both layouts
// and both in-place and copied batches: no element is left unwritten or read before written.
describe("layer kernels on unzeroed outputs", () => {
  const g = O(3);
  const block = new EMLPBlock(uniformRep(48, g), uniformRep(48, g), { rng: rng(7) });
  afterAll(() => {
    poisonOutputs(false);
    block.dispose();
  });
  const named = (prefix: string, ws: { variable: tf.Variable }[]) =>
    Object.fromEntries(ws.map((w, k) => [`${prefix}${k}`, w.variable]));
  const poisoned = <R>(f: () => R): [R, R] => {
    poisonOutputs(false);
    const clean = f();
    poisonOutputs(true);
    try {
      return [clean, f()];
    } finally {
      poisonOutputs(false);
    }
  };
  const expectBoth = ([a, b]: [ReturnType<typeof bothWays>, ReturnType<typeof bothWays>]) => {
    for (const layout of ["rm", "fm"] as const) {
      expectSame(a[layout].y, b[layout].y);
      expectSame(a[layout].grad, b[layout].grad);
    }
  };
  const lin = block.linear;
  const coeffs = lin.weights().filter((w) => w.name.startsWith("coeffs."));

  it.each([37, 40])("linear, with and without bias, batch %i", (bs) => {
    const bias = tf.tidy(() => tf.randomNormal([lin.outputSize], 0, 1, "float32", 9));
    for (const weights of [named("c", coeffs), { ...named("c", coeffs), bias }]) {
      const run = () =>
        bothWays(
          LINEAR_KERNEL,
          LINEAR_GRAD_KERNEL,
          lin.linearPlan(),
          weights,
          lin.inputSize,
          lin.outputSize,
          bs,
        );
      expectBoth(poisoned(run));
    }
    bias.dispose();
  });

  it.each([37, 40])("bilinear, residual or not, batch %i", (bs) => {
    const bil = block.bilinear;
    for (const residual of [false, true]) {
      const run = () =>
        bothWays(
          BILINEAR_KERNEL,
          BILINEAR_GRAD_KERNEL,
          { ...bil.fusedPlan(), residual },
          named("theta", bil.weights()),
          bil.inputSize,
          bil.outputSize,
          bs,
        );
      expectBoth(poisoned(run));
    }
  });

  it.each([37, 40])("gate, batch %i", (bs) => {
    expectBoth(poisoned(() => gateBothWays(block.nonlinearity, bs)));
  });

  it("matMul, an empty inner dimension included (all zeros)", () => {
    const run = () =>
      tf.tidy(() => [
        read(tf.matMul(tf.ones([3, 0]), tf.ones([0, 4]))),
        read(tf.matMul(tf.tensor2d(values(15, 1), [3, 5]), tf.tensor2d(values(20, 2), [5, 4]))),
      ]);
    const [clean, dirty] = poisoned(run);
    expect(dirty[0]).toEqual(new Float32Array(12));
    expectSame(clean, dirty);
  });
});

describe("feature-major kernels: arguments", () => {
  const g = O(3);
  const block = new EMLPBlock(uniformRep(32, g), uniformRep(32, g), { rng: rng(6) });
  afterAll(() => block.dispose());

  it("refuses a non-boolean featureMajor and a batch-major x, naming the kernel and the shape", () => {
    const gate = block.nonlinearity;
    const plan = gate.fusedPlan();
    const x = tf.zeros([5, gate.inputSize]);
    expect(() =>
      tf.engine().runKernel(GATE_KERNEL, { x }, { plan, featureMajor: "yes" } as never),
    ).toThrow(/IsotropyGate: attrs.featureMajor must be a boolean/);
    expect(() =>
      tf.engine().runKernel(GATE_KERNEL, { x }, { plan, featureMajor: true } as never),
    ).toThrow(`IsotropyGate: x must be [${gate.inputSize}, batch], got [5,${gate.inputSize}]`);
    const lin = block.linear;
    const coeffs = lin.weights().filter((w) => w.name.startsWith("coeffs."));
    const xl = tf.zeros([5, lin.inputSize]);
    expect(() =>
      tf
        .engine()
        .runKernel(
          LINEAR_KERNEL,
          { x: xl, ...Object.fromEntries(coeffs.map((w, k) => [`c${k}`, w.variable])) },
          { plan: lin.linearPlan(), featureMajor: true } as never,
        ),
    ).toThrow(
      `IsotropyEquivariantLinear: x must be [${lin.inputSize}, batch], got [5,${lin.inputSize}]`,
    );
    tf.dispose([x, xl]);
  });
});

describe("EMLP on node runs feature-major", () => {
  const g = O(3);
  const repIn = Scalar(g).times(5).plus(V(g).times(5));
  const repOut = T(g, 2);

  it.each([37, 40])(
    "batch %i: outputs bit for bit those of the batch-major blocks, gradients to 1e-6",
    (bs) => {
      const model = new EMLP(repIn, repOut, g, { channels: 48, layers: 2, rng: rng(8) });
      expect([...model.blocks, model.head].every(featureMajorReady)).toBe(true);
      const x = tf.tensor2d(values(bs * repIn.size, 11), [bs, repIn.size]);
      const batchMajor = (v: tf.Tensor2D) => {
        let h = v;
        for (const b of model.blocks) h = applyEMLPBlock(b as EMLPBlock, h);
        return model.head.apply(h);
      };
      const vars = model.weights().map((w) => w.variable);
      const loss = (f: (v: tf.Tensor2D) => tf.Tensor2D) => () =>
        tf.sum(tf.square(f(x))) as tf.Scalar;
      const fm = tf.variableGrads(
        loss((v) => model.apply(v)),
        vars,
      );
      const rm = tf.variableGrads(loss(batchMajor), vars);
      expect(tf.tidy(() => read(model.apply(x)))).toEqual(tf.tidy(() => read(batchMajor(x))));
      for (const v of vars) {
        expect(relErr(read(fm.grads[v.name]!), read(rm.grads[v.name]!)), v.name).toBeLessThan(1e-6);
      }
      tf.dispose([x, fm.value, rm.value, ...Object.values(fm.grads), ...Object.values(rm.grads)]);
      model.dispose();
    },
  );
});

describe("EMLP on node skips what its head never reads", () => {
  it.each([
    [
      "inertia O(3)",
      O(3),
      (g: Group) => Scalar(g).times(5).plus(V(g).times(5)),
      (g: Group) => T(g, 2),
    ],
    ["Lorentz", Lorentz(), (g: Group) => V(g).times(4), (g: Group) => Scalar(g)],
  ] as const)(
    "%s, batch 37 and 40: loss and gradients bit for bit the unpruned model's",
    (_, g, rIn, rOut) => {
      const repIn = rIn(g);
      const repOut = rOut(g);
      for (const bs of [37, 40]) {
        const make = () => new EMLP(repIn, repOut, g, { channels: 96, layers: 2, rng: rng(12) });
        const pruned = make();
        const unpruned = make();
        (unpruned as { headDemand?: Uint8Array }).headDemand = undefined;
        const x = tf.tensor2d(values(bs * repIn.size, 13), [bs, repIn.size]);
        const run = (m: EMLP) =>
          tf.variableGrads(
            () => tf.sum(tf.square(m.apply(x))) as tf.Scalar,
            m.weights().map((w) => w.variable),
          );
        const a = run(pruned);
        const b = run(unpruned);
        expect(read(a.value)).toEqual(read(b.value));
        const names = pruned
          .weights()
          .map((w, k) => [w.variable.name, unpruned.weights()[k]!] as const);
        let skipped = 0;
        for (const [name, other] of names) {
          const ga = read(a.grads[name]!);
          expect(ga, other.name).toEqual(read(b.grads[other.variable.name]!));
          // The skipped pairs (the last block's bilinear pairs that feed only unread outputs)
          // still get their gradient, exactly zero.
          if (other.name.startsWith("layers.1.bilinear.") && ga.every((e) => e === 0)) skipped++;
        }
        expect(skipped).toBeGreaterThan(0);
        tf.dispose([x, a.value, b.value, ...Object.values(a.grads), ...Object.values(b.grads)]);
        pruned.dispose();
        unpruned.dispose();
      }
    },
  );
});
