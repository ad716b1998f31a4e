import { selectBackend } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { registry, relErr, requireAdapter, skipGpu, values } from "./helpers.js";

/** Runs `fn` on `backend` and reads the result asynchronously (Node has no sync GPU reads). */
async function on(
  backend: string,
  fn: () => tf.Tensor,
): Promise<{ shape: number[]; data: Float32Array }> {
  await selectBackend(registry, backend);
  const t = tf.tidy(fn);
  const data = Float32Array.from((await t.data()) as Float32Array);
  const shape = t.shape;
  t.dispose();
  return { shape, data };
}

/** Float64 batched matMul with numpy broadcasting of the batch dimensions. */
function reference(
  av: Float32Array,
  as: number[],
  bv: Float32Array,
  bs: number[],
  ta = false,
  tb = false,
): { shape: number[]; data: Float32Array } {
  const [ar, ac] = as.slice(-2) as [number, number];
  const [br, bc] = bs.slice(-2) as [number, number];
  const [m, k] = ta ? [ac, ar] : [ar, ac];
  const n = tb ? br : bc;
  const rank = Math.max(as.length, bs.length) - 2;
  const pad = (s: number[]) => [
    ...new Array<number>(rank - (s.length - 2)).fill(1),
    ...s.slice(0, -2),
  ];
  const pa = pad(as);
  const pb = pad(bs);
  const batch = pa.map((d, i) => Math.max(d, pb[i]!));
  const count = batch.reduce((p, d) => p * d, 1);
  const data = new Float32Array(count * m * n);
  const offset = (padded: number[], idx: number[]) =>
    idx.reduce((o, v, i) => o * padded[i]! + (padded[i] === 1 ? 0 : v), 0);
  for (let t = 0; t < count; t++) {
    const idx: number[] = [];
    let rest = t;
    for (let i = rank - 1; i >= 0; i--) {
      idx[i] = rest % batch[i]!;
      rest = Math.floor(rest / batch[i]!);
    }
    const oa = offset(pa, idx) * ar * ac;
    const ob = offset(pb, idx) * br * bc;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let q = 0; q < k; q++) {
          const x = av[oa + (ta ? q * ac + i : i * ac + q)]!;
          const y = bv[ob + (tb ? j * bc + q : q * bc + j)]!;
          sum += x * y;
        }
        data[(t * m + i) * n + j] = sum;
      }
    }
  }
  return { shape: [...batch, m, n], data };
}

const CASES: readonly {
  name: string;
  a: number[];
  b: number[];
  ta?: boolean;
  tb?: boolean;
  both?: boolean;
}[] = [
  { name: "1x1 . 1x1", a: [1, 1], b: [1, 1] },
  { name: "7x33 . 33x1", a: [7, 33], b: [33, 1] },
  { name: "33x7 . 7x33", a: [33, 7], b: [7, 33] },
  { name: "257x129 . 129x65", a: [257, 129], b: [129, 65] },
  { name: "1000x7 . 7x33", a: [1000, 7], b: [7, 33] },
  { name: "transposed a, b: (33x7)^T . (65x33)^T", a: [33, 7], b: [65, 33], ta: true, tb: true },
  { name: "batched 3x7x33 . 3x33x5", a: [3, 7, 33], b: [3, 33, 5] },
  { name: "broadcast 2x3x7x33 . 33x5", a: [2, 3, 7, 33], b: [33, 5] },
  // Both operands broadcast: tfjs-backend-webgpu 4.22.0 throws here (fixBatchMatMulBroadcast),
  // and tfjs 4.22.0's cpu and wasm backends return a tensor of the right shape holding only
  // part of the right values, so these two are checked against a float64 reference instead.
  { name: "broadcast both 2x1x7x33 . 4x33x6", a: [2, 1, 7, 33], b: [4, 33, 6], both: true },
];

describe.skipIf(skipGpu)("webgpu kernels match cpu", () => {
  beforeAll(requireAdapter);

  for (const c of CASES) {
    it(`matMul ${c.name}: relative error < 1e-4`, async () => {
      const size = (s: number[]) => s.reduce((p, d) => p * d, 1);
      const av = values(size(c.a), 3);
      const bv = values(size(c.b), 5);
      const f = () => tf.matMul(tf.tensor(av, c.a), tf.tensor(bv, c.b), c.ta, c.tb);
      const ref = c.both ? reference(av, c.a, bv, c.b, c.ta, c.tb) : await on("cpu", f);
      const gpu = await on("webgpu", f);
      expect(gpu.shape).toEqual(ref.shape);
      expect(relErr(gpu.data, ref.data)).toBeLessThan(1e-4);
    });
  }

  it("elementwise, reductions and a fused matMul + bias + relu match cpu", async () => {
    const x = values(33 * 65, 7);
    const w = values(65 * 17, 8);
    const bias = values(17, 9);
    const f = () =>
      tf.fused.matMul({
        a: tf.tensor2d(x, [33, 65]),
        b: tf.tensor2d(w, [65, 17]),
        bias: tf.tensor1d(bias),
        activation: "relu",
      });
    expect(relErr((await on("webgpu", f)).data, (await on("cpu", f)).data)).toBeLessThan(1e-4);
    const g = () => tf.sum(tf.mul(tf.sigmoid(tf.tensor2d(x, [33, 65])), 3), 1);
    expect(relErr((await on("webgpu", g)).data, (await on("cpu", g)).data)).toBeLessThan(1e-4);
  });
});
