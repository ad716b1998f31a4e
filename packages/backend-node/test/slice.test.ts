import { registerGradients } from "@isotropy/layers/node";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { on, requireNode, values } from "./helpers.js";

// node's Slice (run copies, src/slice.ts) against the cpu kernel, value for value: column slices
// and inner blocks of every rank, float32 and int32, an empty slice, the contiguous cases the cpu
// kernel keeps, size -1, and the gradient (a pad) through tf.grad.

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});

const cases: [number[], number[], number[]][] = [
  [
    [500, 432],
    [0, 0],
    [500, 384],
  ],
  [
    [9, 504],
    [0, 0],
    [9, 500],
  ],
  [
    [7, 9],
    [2, 3],
    [4, 5],
  ],
  [[13], [3], [6]],
  [
    [3, 4, 5],
    [1, 1, 0],
    [2, 2, 5],
  ],
  [
    [3, 4, 5],
    [0, 1, 2],
    [3, 3, 2],
  ],
  [
    [2, 3, 4, 5],
    [1, 0, 1, 1],
    [1, 3, 2, 3],
  ],
  [
    [2, 3, 4, 5],
    [0, 1, 0, 0],
    [2, 2, 4, 5],
  ],
  [
    [6, 4],
    [2, 0],
    [3, 4],
  ],
  [
    [6, 4],
    [1, 1],
    [0, 2],
  ],
  [
    [6, 4],
    [1, 1],
    [-1, -1],
  ],
];

describe("node Slice matches cpu", () => {
  for (const dtype of ["float32", "int32"] as const) {
    it.each(cases)(`${dtype} %j from %j, size %j`, async (shape, begin, size) => {
      const n = shape.reduce((p, q) => p * q, 1);
      const f = () => {
        const x = tf.tensor(values(n, 5), shape);
        return tf.slice(dtype === "int32" ? tf.cast(tf.mul(x, 100), "int32") : x, begin, size);
      };
      const ref = await on("cpu", f);
      const got = await on("node", f);
      expect(got.shape).toEqual(ref.shape);
      expect(Array.from(got.data)).toEqual(Array.from(ref.data));
    });
  }

  it("passes the gradient back as zeros around the slice", async () => {
    const f = () => {
      const x = tf.tensor(values(7 * 9, 6), [7, 9]);
      return tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.slice(v, [1, 2], [5, 4]), 3)))(x);
    };
    const ref = await on("cpu", f);
    const got = await on("node", f);
    expect(Array.from(got.data)).toEqual(Array.from(ref.data));
    expect(Array.from(got.data).filter((v) => v !== 0)).toHaveLength(20);
  });

  it("keeps the cpu kernel's errors for a slice out of bounds", async () => {
    await tf.setBackend("node");
    expect(() => tf.slice(tf.zeros([3, 4]), [1, 1], [3, 2])).toThrow(/slice/i);
  });
});
