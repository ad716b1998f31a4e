import { BILINEAR_GRAD_KERNEL, BILINEAR_KERNEL, type BiLinearPlan, rng } from "@isotropy/core";
import { Lorentz, O, S } from "@isotropy/groups";
import { BiLinear, gated, uniformRep } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { type Rep, Scalar, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureNodeBackend } from "../src/index.js";
import { read, relErr, requireNode, values } from "./helpers.js";

// The native fused bilinear kernels (native/bilinear.cc) against the layer's composite of tfjs
// ops on the cpu backend: values, and gradients of sum(y * r) in x and every theta, for reps that
// use both contraction orders, batch sizes 1, 7 and 64, one and two threads, OpenBLAS and the
// bundled SGEMM, the plan's orders and the addon's own choice.

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});
afterAll(() => {
  configureNodeBackend({ threads: 1, bundled: false, bilinearPlanOrder: false });
});

interface Case {
  layer: BiLinear;
  plan: BiLinearPlan;
  thetas: tf.Variable[];
}

function makeCase(rep: Rep): Case {
  const layer = new BiLinear(rep, rep, { rng: rng(1) });
  const plan = layer.fusedPlan();
  const thetas = plan.pairs.map((_, k) => {
    const v = layer.weights()[layer.pairs()[k]?.variable as number]?.variable;
    if (!v) throw new Error(`no variable for pair ${k}`);
    return v;
  });
  return { layer, plan, thetas };
}

function thetaInputs(thetas: readonly tf.Tensor[]): Record<string, tf.Tensor> {
  return Object.fromEntries(thetas.map((t, k) => [`theta${k}`, t]));
}

type Result = { y: Float32Array; dx: Float32Array; dthetas: Float32Array[] };

/**
 * y, d sum(y * r)/dx and /dtheta through layer.apply on `backend`: BiLinear's composite of tfjs
 * ops on cpu, the fused kernels on node (BiLinear dispatches to them).
 */
async function viaLayer(
  backend: string,
  c: Case,
  xv: Float32Array,
  rv: Float32Array,
  bs: number,
  residual = false,
) {
  await tf.setBackend(backend);
  const x = tf.tensor2d(xv, [bs, c.layer.inputSize]);
  const r = tf.tensor2d(rv, [bs, c.layer.outputSize]);
  const f = (v: tf.Tensor2D) => (residual ? c.layer.applyResidual(v) : c.layer.apply(v));
  const loss = (v: tf.Tensor) => tf.sum(tf.mul(f(v as tf.Tensor2D), r)) as tf.Scalar;
  const y = tf.tidy(() => read(f(x)));
  const { value, grads } = tf.variableGrads(() => loss(x), c.thetas);
  const gx = tf.grad(loss)(x);
  const out: Result = {
    y,
    dx: read(gx),
    dthetas: c.thetas.map((t) => read(grads[t.name] as tf.Tensor)),
  };
  tf.dispose([x, r, value, gx, ...Object.values(grads)]);
  return out;
}

/**
 * The same through the fused kernels on node. With `between`, another forward runs on the plan
 * before the gradient, so that the gradient cannot reuse the first forward's intermediates.
 */
async function fused(c: Case, xv: Float32Array, rv: Float32Array, bs: number, between = false) {
  await tf.setBackend("node");
  const x = tf.tensor2d(xv, [bs, c.layer.inputSize]);
  const dy = tf.tensor2d(rv, [bs, c.layer.outputSize]);
  const th = c.thetas.map((t) => tf.clone(t));
  const attrs = { plan: c.plan } as unknown as tf.NamedAttrMap;
  const y = tf.engine().runKernel(BILINEAR_KERNEL, { x, ...thetaInputs(th) }, attrs) as tf.Tensor;
  if (between) {
    const other = tf.mul(x, 2);
    tf.dispose([
      other,
      tf.engine().runKernel(BILINEAR_KERNEL, { x: other, ...thetaInputs(th) }, attrs) as tf.Tensor,
    ]);
  }
  const grads = tf
    .engine()
    .runKernel(BILINEAR_GRAD_KERNEL, { dy, x, ...thetaInputs(th) }, attrs) as tf.Tensor[];
  expect(y.shape).toEqual([bs, c.layer.outputSize]);
  expect(grads.length).toBe(1 + th.length);
  expect(grads[0]?.shape).toEqual([bs, c.layer.inputSize]);
  grads.slice(1).forEach((g, k) => {
    expect(g.shape).toEqual(th[k]?.shape);
  });
  const out: Result = {
    y: read(y),
    dx: read(grads[0] as tf.Tensor),
    dthetas: grads.slice(1).map(read),
  };
  tf.dispose([x, dy, y, ...th, ...grads]);
  return out;
}

// planOrder: each pair in the plan's order (both orders are in every rep below) rather than the
// addon's choice, so that both code paths run forward and backward.
const settings = [
  { threads: 1, bundled: false, planOrder: false },
  { threads: 1, bundled: false, planOrder: true },
  { threads: 2, bundled: false, planOrder: false },
  { threads: 2, bundled: false, planOrder: true },
  { threads: 2, bundled: true, planOrder: true },
];

const reps: [string, () => Rep, number[]][] = [
  ["O(3) gated(uniformRep(64))", () => gated(uniformRep(64, O(3))), [1, 7, 64]],
  ["Lorentz gated(uniformRep(40))", () => gated(uniformRep(40, Lorentz())), [1, 7, 64]],
  [
    "S(4) permutation and scalar leaves",
    () =>
      gated(
        Scalar(S(4))
          .times(3)
          .plus(V(S(4)).times(2), V(S(4)).tensor(V(S(4)))),
      ),
    [1, 7, 64],
  ],
  // Large enough per sample for the per-sample loops to split across two threads.
  ["O(3) gated(uniformRep(384)) (EMLP(384) hidden)", () => gated(uniformRep(384, O(3))), [64]],
];

describe.each(reps)("fused BiLinear: %s", (_, makeRep, batches) => {
  let c: Case;
  const refs = new Map<number, { xv: Float32Array; rv: Float32Array; ref: Result }>();
  beforeAll(async () => {
    await tf.setBackend("cpu");
    c = makeCase(makeRep());
    for (const bs of batches) {
      const xv = values(bs * c.layer.inputSize, 11 + bs);
      const rv = values(bs * c.layer.outputSize, 97 + bs);
      refs.set(bs, { xv, rv, ref: await viaLayer("cpu", c, xv, rv, bs) });
    }
  });
  afterAll(() => {
    c.layer.dispose();
  });

  it("uses both contraction orders", () => {
    expect(new Set(c.plan.pairs.map((p) => p.order))).toEqual(new Set(["zx", "wx"]));
  });

  // between: the gradient recomputes the forward's intermediates instead of reusing them.
  const grid = settings.flatMap((s) =>
    batches.flatMap((bs) => [false, true].map((between) => ({ ...s, bs, between }))),
  );
  it.each(grid)(
    "batch $bs, $threads thread(s), bundled $bundled, plan order $planOrder, forward between $between",
    async ({ bs, planOrder, between, ...s }) => {
      configureNodeBackend({ ...s, bilinearPlanOrder: planOrder });
      const { xv, rv, ref } = refs.get(bs) as { xv: Float32Array; rv: Float32Array; ref: Result };
      const got = await fused(c, xv, rv, bs, between);
      expect(relErr(got.y, ref.y), "y").toBeLessThan(1e-5);
      expect(relErr(got.dx, ref.dx), "dx").toBeLessThan(1e-4);
      expect(got.dthetas.length).toBe(ref.dthetas.length);
      ref.dthetas.forEach((d, k) => {
        expect(relErr(got.dthetas[k] as Float32Array, d), `dtheta${k}`).toBeLessThan(1e-4);
      });
    },
  );
});

describe("fused BiLinear: through layer.apply", () => {
  // residual: applyResidual (y + x inside the kernel on node) against apply(x) + x on cpu.
  it.each([false, true])(
    "BiLinear on node (dispatching to the kernels) matches its composite on cpu, residual %s",
    async (residual) => {
      await tf.setBackend("cpu");
      const c = makeCase(gated(uniformRep(64, O(3))));
      const bs = 7;
      const xv = values(bs * c.layer.inputSize, 5);
      const rv = values(bs * c.layer.outputSize, 6);
      const ref = await viaLayer("cpu", c, xv, rv, bs, residual);
      const got = await viaLayer("node", c, xv, rv, bs, residual);
      expect(relErr(got.y, ref.y), "y").toBeLessThan(1e-5);
      expect(relErr(got.dx, ref.dx), "dx").toBeLessThan(1e-4);
      ref.dthetas.forEach((d, k) => {
        expect(relErr(got.dthetas[k] as Float32Array, d), `dtheta${k}`).toBeLessThan(1e-4);
      });
      if (residual) {
        // The residual adds x to y and r to dx; the thetas' gradients are the plain layer's.
        const plain = await viaLayer("cpu", c, xv, rv, bs);
        const shifted = plain.y.map((v, i) => v + (xv[i] as number));
        expect(relErr(ref.y, shifted), "cpu y").toBeLessThan(1e-6);
        ref.dthetas.forEach((d, k) => {
          expect(relErr(d, plain.dthetas[k] as Float32Array), `dtheta${k}`).toBeLessThan(1e-6);
        });
      }
      c.layer.dispose();
    },
  );

  it("refuses a residual between different sizes, in the layer and in the kernel", async () => {
    await tf.setBackend("node");
    const rep = uniformRep(64, O(3));
    const layer = new BiLinear(gated(rep), rep, { rng: rng(3) });
    const x = tf.zeros([2, layer.inputSize]) as tf.Tensor2D;
    expect(() => layer.applyResidual(x)).toThrow(/a residual needs equal input and output sizes/);
    const plan: BiLinearPlan = { ...layer.fusedPlan(), residual: true };
    const thetas = layer.weights().map((w) => w.variable);
    expect(() =>
      tf.engine().runKernel(BILINEAR_KERNEL, { x, ...thetaInputs(thetas) }, {
        plan,
      } as unknown as tf.NamedAttrMap),
    ).toThrow(/a residual plan needs inputSize = outputSize/);
    tf.dispose(x);
    layer.dispose();
  });
});

describe("fused BiLinear: arguments", () => {
  let c: Case;
  beforeAll(async () => {
    await tf.setBackend("cpu");
    c = makeCase(gated(uniformRep(64, O(3))));
    await tf.setBackend("node");
  });
  afterAll(() => {
    c.layer.dispose();
  });
  const run = (name: string, inputs: Record<string, tf.Tensor>, plan: unknown) => () =>
    tf.tidy(() => {
      tf.engine().runKernel(name, inputs, { plan } as unknown as tf.NamedAttrMap);
    });
  const x = () => tf.zeros([3, c.layer.inputSize]);
  const thetas = () => thetaInputs(c.thetas);

  it("batch 0 gives empty outputs and zero theta gradients", () => {
    const attrs = { plan: c.plan } as unknown as tf.NamedAttrMap;
    const x0 = tf.zeros([0, c.layer.inputSize]);
    const y = tf.engine().runKernel(BILINEAR_KERNEL, { x: x0, ...thetas() }, attrs) as tf.Tensor;
    expect(y.shape).toEqual([0, c.layer.outputSize]);
    const dy = tf.zeros([0, c.layer.outputSize]);
    const g = tf
      .engine()
      .runKernel(BILINEAR_GRAD_KERNEL, { dy, x: x0, ...thetas() }, attrs) as tf.Tensor[];
    expect(g[0]?.shape).toEqual([0, c.layer.inputSize]);
    for (const t of g.slice(1)) expect(tf.max(tf.abs(t)).dataSync()[0]).toBe(0);
    tf.dispose([x0, y, dy, ...g]);
  });

  it("throws clear errors on mismatched inputs", () => {
    expect(run(BILINEAR_KERNEL, { x: x(), ...thetas() }, undefined)).toThrow(
      /IsotropyBiLinear: attrs.plan/,
    );
    expect(run(BILINEAR_KERNEL, { x: tf.zeros([3, 5]), ...thetas() }, c.plan)).toThrow(
      /x must be \[batch, \d+\], got \[3,5\]/,
    );
    const { theta0: _, ...noTheta0 } = thetas();
    expect(run(BILINEAR_KERNEL, { x: x(), ...noTheta0 }, c.plan)).toThrow(/theta0 is missing/);
    expect(
      run(BILINEAR_KERNEL, { x: x(), ...thetas(), theta0: tf.zeros([1, 1, 1]) }, c.plan),
    ).toThrow(/theta0 must have shape/);
    const extra = { [`theta${c.plan.pairs.length}`]: tf.zeros([1]) };
    expect(run(BILINEAR_KERNEL, { x: x(), ...thetas(), ...extra }, c.plan)).toThrow(/has no pair/);
    expect(
      run(BILINEAR_KERNEL, { x: tf.zeros([3, c.layer.inputSize], "int32"), ...thetas() }, c.plan),
    ).toThrow(/x must be float32/);
    expect(
      run(
        BILINEAR_GRAD_KERNEL,
        { dy: tf.zeros([2, c.layer.outputSize]), x: x(), ...thetas() },
        c.plan,
      ),
    ).toThrow(/IsotropyBiLinearGrad: dy must have shape/);
  });

  it("rejects a plan whose index maps are out of range", () => {
    const [first, ...rest] = c.plan.pairs;
    if (!first) throw new Error("no pairs");
    const z = Int32Array.from(first.z);
    z[0] = c.plan.inputSize;
    const bad: BiLinearPlan = { ...c.plan, pairs: [{ ...first, z }, ...rest] };
    expect(run(BILINEAR_KERNEL, { x: x(), ...thetas() }, bad)).toThrow(/pair 0: z holds column/);
    const short: BiLinearPlan = {
      ...c.plan,
      pairs: [{ ...first, out: first.out.subarray(1) }, ...rest],
    };
    expect(run(BILINEAR_KERNEL, { x: x(), ...thetas() }, short)).toThrow(
      /pair 0: out must be an Int32Array of length/,
    );
  });
});
