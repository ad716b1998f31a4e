import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FusedKernelPair, runFused } from "../src/fused-op.js";
import { useCpu } from "./helpers.js";

// A stand-in fused pair on cpu: y = sum_k w_k * x (elementwise), whose gradient reads every input.
const KERNEL = "TestFusedScaledSum";
const GRAD = "TestFusedScaledSumGrad";
const PAIR: FusedKernelPair = {
  kernel: KERNEL,
  gradKernel: GRAD,
  input: (k) => (k === 0 ? "x" : `w${k - 1}`),
  upstream: "dy",
  gradReadsInputs: true,
};
const plan = {};

type CpuBackend = {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): tf.TensorInfo;
};

function ws(inputs: tf.NamedTensorInfoMap, b: CpuBackend): Float32Array[] {
  const out: Float32Array[] = [];
  for (let k = 0; inputs[`w${k}`] !== undefined; k++)
    out.push(b.data.get(inputs[`w${k}`]!.dataId).values);
  return out;
}

/** Registers `f` on cpu as kernel `name`: input values by name in, output arrays (x's shape) out. */
function cpuKernel(
  name: string,
  f: (values: (input: string) => Float32Array, w: Float32Array[]) => Float32Array[],
): void {
  tf.registerKernel({
    kernelName: name,
    backendName: "cpu",
    kernelFunc: ({ inputs, backend }) => {
      const b = backend as CpuBackend;
      const out = f((input) => b.data.get(inputs[input]!.dataId).values, ws(inputs, b));
      const infos = out.map((d) => b.makeTensorInfo([...inputs.x!.shape], "float32", d));
      return infos.length === 1 ? infos[0]! : infos;
    },
  });
}

beforeAll(async () => {
  await useCpu();
  cpuKernel(KERNEL, (values, w) => {
    const x = values("x");
    const y = new Float32Array(x.length);
    for (const wk of w) for (let i = 0; i < x.length; i++) y[i]! += wk[i]! * x[i]!;
    return [y];
  });
  cpuKernel(GRAD, (values, w) => {
    const x = values("x");
    const dy = values("dy");
    const dx = new Float32Array(x.length);
    for (const wk of w) for (let i = 0; i < x.length; i++) dx[i]! += wk[i]! * dy[i]!;
    return [dx, ...w.map(() => Float32Array.from(x, (xi, i) => xi * dy[i]!))];
  });
});

afterAll(() => {
  tf.unregisterKernel(KERNEL, "cpu");
  tf.unregisterKernel(GRAD, "cpu");
});

/** Identity kernels (tensor clones) run while `f` runs. */
function clones(f: () => void): number {
  const engine = tf.engine();
  const run = engine.runKernel.bind(engine);
  let n = 0;
  engine.runKernel = ((name: string, ...rest: unknown[]) => {
    if (name === "Identity") n++;
    return (run as (...a: unknown[]) => unknown)(name, ...rest);
  }) as typeof engine.runKernel;
  try {
    f();
  } finally {
    engine.runKernel = run;
  }
  return n;
}

describe("runFused", () => {
  it("reads variable inputs in place and saves only the others; gradients unchanged", () => {
    const x = tf.variable(tf.tensor1d([1, 2, 3]), true, "fused-op-x");
    const w0 = tf.variable(tf.tensor1d([0.5, -1, 2]), true, "fused-op-w0");
    const w0Copy = tf.tensor1d([0.5, -1, 2]);
    const c = tf.tensor1d([3, 1, -2]);
    const before = tf.memory().numTensors;
    // y = 2x (w + c), loss = sum y^2; 2x is a product inside the loss (saved), c a constant.
    const step = (w: tf.Tensor) => {
      let out: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
      const n = clones(() => {
        out = tf.variableGrads(
          () => tf.sum(tf.square(runFused(plan, PAIR, [tf.mul(x, 2), w, c]))) as tf.Scalar,
          w instanceof tf.Variable ? [x, w] : [x],
        );
      });
      return { n, ...out! };
    };
    const withVariable = step(w0);
    const withTensor = step(w0Copy);
    // The variable is the one input fewer that is cloned for the gradient.
    expect(withTensor.n - withVariable.n).toBe(1);
    const xv = [1, 2, 3];
    const wv = [0.5, -1, 2];
    const cv = [3, 1, -2];
    const y = xv.map((xi, i) => 2 * xi * (wv[i]! + cv[i]!));
    expect(withVariable.value.dataSync()[0]).toBeCloseTo(
      y.reduce((s, v) => s + v * v, 0),
      3,
    );
    const dx = y.map((yi, i) => 2 * yi * 2 * (wv[i]! + cv[i]!));
    expectClose(withVariable.grads["fused-op-x"]!, dx);
    expectClose(withTensor.grads["fused-op-x"]!, dx);
    expectClose(
      withVariable.grads["fused-op-w0"]!,
      y.map((yi, i) => 2 * yi * 2 * xv[i]!),
    );
    for (const r of [withVariable, withTensor]) tf.dispose([r.value, ...Object.values(r.grads)]);
    // Nothing saved for the gradient outlives it.
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, w0, w0Copy, c]);
  });
});

function expectClose(t: tf.Tensor, want: number[]): void {
  const got = Array.from(t.dataSync());
  got.forEach((g, i) => {
    expect(g).toBeCloseTo(want[i]!, 4);
  });
}
