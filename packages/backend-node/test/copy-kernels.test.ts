import { registerGradients } from "@isotropy/layers/node";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { on, requireNode, values } from "./helpers.js";

// node's GatherV2, Concat and Tile (typed-array copies, src/gather.ts, src/concat.ts and
// src/tile.ts) against the cpu kernels, value for value: every axis, float32 and int32, short and
// long runs, repeated indices, empty inputs, the cpu kernels' errors, and the gradients through
// tf.grad.

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});

const filled = (shape: number[], seed: number, dtype: "float32" | "int32") => {
  const n = shape.reduce((p, q) => p * q, 1);
  const x = tf.tensor(values(n, seed), shape);
  return dtype === "int32" ? tf.cast(tf.mul(x, 100), "int32") : x;
};

const same = async (f: () => tf.Tensor) => {
  const ref = await on("cpu", f);
  const got = await on("node", f);
  expect(got.shape).toEqual(ref.shape);
  expect(Array.from(got.data)).toEqual(Array.from(ref.data));
};

const gathers: [number[], number[], number][] = [
  [[3000, 20], [5, 2999, 0, 17, 5, 42], 0],
  [[40, 200], [3, 1, 39], 0],
  [[6, 7, 5], [6, 0, 2], 1],
  [[6, 7, 5], [4, 4, 1, 0], 2],
  [[9], [8, 0, 3], 0],
  [[4, 3], [], 0],
];

const concats: [number[][], number][] = [
  [
    [
      [500, 432],
      [500, 16],
    ],
    1,
  ],
  [
    [
      [7, 3],
      [7, 0],
      [7, 5],
      [7, 1],
    ],
    1,
  ],
  [
    [
      [2, 3, 4],
      [2, 1, 4],
    ],
    1,
  ],
  [
    [
      [2, 3, 4],
      [2, 3, 2],
    ],
    -1,
  ],
  [
    [
      [3, 4],
      [2, 4],
    ],
    0,
  ],
];

describe("node GatherV2 and Concat match cpu", () => {
  for (const dtype of ["float32", "int32"] as const) {
    it.each(gathers)(`gather ${dtype} %j at %j along axis %i`, async (shape, idx, axis) => {
      await same(() => tf.gather(filled(shape, 3, dtype), tf.tensor1d(idx, "int32"), axis));
    });
    it.each(concats)(`concat ${dtype} %j along axis %i`, async (shapes, axis) => {
      await same(() =>
        tf.concat(
          shapes.map((s, k) => filled(s, 10 + k, dtype)),
          axis,
        ),
      );
    });
  }

  it("gathers with 2-D indices", async () => {
    await same(() =>
      tf.gather(filled([10, 6], 4, "float32"), tf.tensor2d([1, 9, 9, 0], [2, 2], "int32")),
    );
  });

  it("passes gradients back as cpu does", async () => {
    await same(() => {
      const x = filled([8, 5], 5, "float32");
      return tf.grad((v: tf.Tensor) =>
        tf.sum(tf.square(tf.gather(v, tf.tensor1d([1, 1, 7], "int32")))),
      )(x);
    });
    await same(() => {
      const a = filled([6, 4], 6, "float32");
      const c = filled([6, 3], 7, "float32");
      return tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.concat([v, c], 1))))(a);
    });
  });

  it("keeps the cpu kernels' errors", async () => {
    await tf.setBackend("node");
    expect(() => tf.gather(tf.zeros([3, 2]), tf.tensor1d([3], "int32"))).toThrow(
      "GatherV2: the index value 3 is not in [0, 2]",
    );
    expect(() => tf.concat([tf.zeros([3, 2]), tf.zeros([4, 2])], 1)).toThrow();
  });
});

const tiles: [number[], number[]][] = [
  [
    [500, 1, 9],
    [1, 8, 1],
  ],
  [
    [1, 16],
    [500, 1],
  ],
  [
    [3, 4],
    [2, 3],
  ],
  [[7], [5]],
  [
    [2, 3, 2, 5],
    [2, 1, 3, 2],
  ],
  [
    [2, 0],
    [3, 2],
  ],
  [
    [4, 70],
    [1, 2],
  ],
];

describe("node Tile matches cpu", () => {
  for (const dtype of ["float32", "int32"] as const) {
    it.each(tiles)(`${dtype} %j by %j`, async (shape, reps) => {
      await same(() => tf.tile(filled(shape, 8, dtype), reps));
    });
  }

  it("passes the gradient back as cpu does", async () => {
    await same(() => {
      const x = filled([3, 1, 4], 9, "float32");
      return tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.tile(v, [2, 5, 1]))))(x);
    });
  });
});
