import { BILINEAR_GRAD_KERNEL, BILINEAR_KERNEL, type BiLinearPlan, rng } from "@isotropy/core";
import { Lorentz, O, S } from "@isotropy/groups";
import { type Rep, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fusedBilinearAvailable } from "../src/fused-bilinear.js";
import { BiLinear, gated, uniformRep } from "../src/index.js";
import { useCpu } from "./helpers.js";

type CpuBackend = {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
};

/** The kernel contract of core's BILINEAR_KERNEL written out loop by loop, in float64. */
function run(
  plan: BiLinearPlan,
  xv: Float32Array,
  thetas: Float32Array[],
  bs: number,
  dy?: Float32Array,
) {
  const { inputSize: nIn, outputSize: nOut } = plan;
  const y = new Float64Array(bs * nOut);
  const dx = new Float64Array(bs * nIn);
  const dth = thetas.map((t) => new Float64Array(t.length));
  plan.pairs.forEach((p, k) => {
    const th = thetas[k]!;
    for (let s = 0; s < bs; s++)
      for (let a = 0; a < p.so; a++)
        for (let o = 0; o < p.cO; o++) {
          const col = s * nOut + p.out[a * p.cO + o]!;
          for (let c = 0; c < p.cI; c++)
            for (let m = 0; m < p.n; m++) {
              const w = p.gain * th[(o * p.cI + c) * p.n + m]!;
              for (let b = 0; b < p.si; b++) {
                const zi = s * nIn + p.z[(a * p.si + b) * p.n + m]!;
                const xi = s * nIn + p.x[b * p.cI + c]!;
                y[col] += w * xv[zi]! * xv[xi]!;
                if (dy) {
                  const g = dy[col]!;
                  dth[k]![(o * p.cI + c) * p.n + m] += p.gain * g * xv[zi]! * xv[xi]!;
                  dx[zi] += w * g * xv[xi]!;
                  dx[xi] += w * g * xv[zi]!;
                }
              }
            }
        }
  });
  return { y, dx, dth };
}

function values(backend: CpuBackend, t: tf.TensorInfo): Float32Array {
  return backend.data.get(t.dataId).values;
}

/** The reference kernel's inputs read off the cpu backend, and its results (with dy: gradients). */
function reference({
  inputs,
  backend,
  attrs,
}: {
  inputs: tf.NamedTensorInfoMap;
  backend: unknown;
  attrs?: tf.NamedAttrMap;
}) {
  const b = backend as CpuBackend;
  const plan = (attrs as unknown as { plan: BiLinearPlan }).plan;
  const x = inputs.x!;
  const bs = x.shape[0]!;
  const thetas = plan.pairs.map((_, k) => values(b, inputs[`theta${k}`]!));
  const dy = inputs.dy ? values(b, inputs.dy) : undefined;
  return { b, plan, x, bs, inputs, ...run(plan, values(b, x), thetas, bs, dy) };
}

beforeAll(async () => {
  await useCpu();
  // A reference implementation registered on cpu stands in for a backend's fused kernel.
  tf.registerKernel({
    kernelName: BILINEAR_KERNEL,
    backendName: "cpu",
    kernelFunc: (args) => {
      const { b, plan, bs, y } = reference(args);
      return b.makeTensorInfo([bs, plan.outputSize], "float32", Float32Array.from(y));
    },
  });
  tf.registerKernel({
    kernelName: BILINEAR_GRAD_KERNEL,
    backendName: "cpu",
    kernelFunc: (args) => {
      const { b, x, inputs, dx, dth } = reference(args);
      return [
        b.makeTensorInfo([...x.shape], "float32", Float32Array.from(dx)),
        ...dth.map((d, k) =>
          b.makeTensorInfo([...inputs[`theta${k}`]!.shape], "float32", Float32Array.from(d)),
        ),
      ];
    },
  });
});

afterAll(() => {
  tf.unregisterKernel(BILINEAR_KERNEL, "cpu");
  tf.unregisterKernel(BILINEAR_GRAD_KERNEL, "cpu");
});

function maxRel(a: tf.Tensor, b: tf.Tensor): number {
  const scale = Math.max(1e-6, tf.max(tf.abs(b)).dataSync()[0]!);
  return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / scale;
}

describe("BiLinear through a backend's fused kernel", () => {
  const cases: [string, () => Rep][] = [
    ["O(3) hidden", () => gated(uniformRep(48, O(3)))],
    ["Lorentz hidden", () => gated(uniformRep(40, Lorentz()))],
    [
      "S(4) with permutation leaves",
      () =>
        gated(
          V(S(4))
            .times(2)
            .plus(V(S(4)).tensor(V(S(4)))),
        ),
    ],
  ];
  for (const [label, makeRep] of cases) {
    it(`${label}: the plan gives the composite's values and gradients`, () => {
      const rep = makeRep();
      const layer = new BiLinear(rep, rep, { rng: rng(1) });
      const x = tf.randomNormal([5, rep.size], 0, 1, "float32", 3) as tf.Tensor2D;
      const r = tf.randomNormal([5, rep.size], 0, 1, "float32", 4);
      const vars = layer.weights().map((w) => w.variable);
      const loss = (v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v as tf.Tensor2D), r)) as tf.Scalar;
      const both = () => {
        const { value, grads } = tf.variableGrads(() => loss(x), vars);
        const gx = tf.grad(loss)(x);
        return { y: layer.apply(x), value, grads: vars.map((v) => grads[v.name]!), gx };
      };
      expect(fusedBilinearAvailable()).toBe(true);
      const fused = both();
      // The composite: hide the kernels for the second evaluation.
      const fwd = tf.getKernel(BILINEAR_KERNEL, "cpu")!;
      const bwd = tf.getKernel(BILINEAR_GRAD_KERNEL, "cpu")!;
      tf.unregisterKernel(BILINEAR_KERNEL, "cpu");
      tf.unregisterKernel(BILINEAR_GRAD_KERNEL, "cpu");
      const composite = both();
      tf.registerKernel(fwd);
      tf.registerKernel(bwd);
      expect(maxRel(fused.y, composite.y)).toBeLessThan(1e-5);
      expect(maxRel(fused.gx, composite.gx)).toBeLessThan(1e-5);
      fused.grads.forEach((g, k) => {
        expect(maxRel(g, composite.grads[k]!)).toBeLessThan(1e-5);
      });
      layer.dispose();
    });
  }
});
