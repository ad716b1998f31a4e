import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configureNodeBackend } from "../src/index.js";
import { on, relErr, requireNode, values } from "./helpers.js";

// The native kernels of native/{elementwise,reduce,scatter,pad,transpose,small_gemm}.cc against
// the cpu backend: odd sizes (1, 7, 33), broadcasting, empty dimensions, ranks 0-4, int32, and
// both thread settings (large cases cross the pool's size thresholds).

beforeAll(requireNode);
afterAll(() => {
  configureNodeBackend({ threads: 1 });
});

const size = (s: number[]) => s.reduce((p, q) => p * q, 1);
const f32 = (s: number[], seed: number) => tf.tensor(values(size(s), seed), s);
/** Integers in [-50, 50). */
const i32 = (s: number[], seed: number) =>
  tf.tensor(
    Array.from(values(size(s), seed), (v) => Math.floor(v * 50)),
    s,
    "int32",
  );

/** Same shape and exactly the same values on node as on cpu. */
async function same(f: () => tf.Tensor, tol = 0) {
  const ref = await on("cpu", f);
  const got = await on("node", f);
  expect(got.shape).toEqual(ref.shape);
  if (tol === 0) expect(Array.from(got.data)).toEqual(Array.from(ref.data));
  else expect(relErr(got.data, ref.data)).toBeLessThan(tol);
}

const threadSettings = [1, 2];

describe.each(threadSettings)("binary ops, %i thread(s)", (threads) => {
  beforeAll(() => {
    configureNodeBackend({ threads });
  });
  const pairs: [number[], number[]][] = [
    [[7], [7]],
    [
      [33, 7],
      [33, 7],
    ],
    [[500, 432], [432]], // bias row
    [
      [432, 500],
      [432, 1],
    ], // column
    [
      [11, 9, 500],
      [11, 1, 500],
    ], // gate
    [[7, 33], []],
    [[], [7, 33]],
    [[1], [7]],
    [
      [7, 1],
      [1, 33],
    ],
    [
      [2, 1, 3, 1],
      [1, 7, 1, 5],
    ],
    [
      [3, 1, 33],
      [7, 1],
    ],
    [[1, 1, 1], [1]],
    [[0, 3], [3]],
    [
      [4, 0],
      [1, 1],
    ],
    [
      [600, 700],
      [600, 700],
    ], // above the pool's threshold
    [
      [1, 700],
      [600, 1],
    ],
  ];
  it.each(pairs)("%j (op) %j, float32 add/sub/mul/div", async (sa, sb) => {
    for (const op of [tf.add, tf.sub, tf.mul, tf.div]) {
      await same(() => op(f32(sa, 3), f32(sb, 4)));
    }
  });
  it.each(pairs)("%j (op) %j, int32 add/sub/mul", async (sa, sb) => {
    for (const op of [tf.add, tf.sub, tf.mul]) {
      await same(() => op(i32(sa, 5), i32(sb, 6)));
    }
  });

  it("rejects shapes that do not broadcast like cpu", async () => {
    await tf.setBackend("node");
    expect(() => tf.add(tf.zeros([2, 3]), tf.zeros([4]))).toThrow(/broadcast/);
  });

  it("int32 division and mixed dtypes go to the cpu kernels", async () => {
    await same(() => tf.div(i32([7, 3], 7), tf.add(tf.abs(i32([3], 8)), 1)));
    await same(() => tf.add(f32([7, 3], 9), i32([3], 10)));
  });

  it("AddN of 1, 2 and 5 tensors (float32 and int32), -0 like cpu", async () => {
    for (const n of [1, 2, 5]) {
      await same(() => tf.addN(Array.from({ length: n }, (_, k) => f32([33, 7], 20 + k))));
      await same(() => tf.addN(Array.from({ length: n }, (_, k) => i32([7, 33], 30 + k))));
      await same(() => tf.addN(Array.from({ length: n }, (_, k) => f32([600, 500], 40 + k))));
    }
    await same(() => tf.addN([tf.tensor([-0, 1]), tf.tensor([-0, -0])]));
  });

  it("Sigmoid", async () => {
    for (const s of [[0], [1], [7, 33], [600, 500]]) {
      await same(() => tf.sigmoid(tf.mul(f32(s, 50), 20)), 1e-7);
    }
  });
});

describe.each(threadSettings)("Sum, %i thread(s)", (threads) => {
  beforeAll(() => {
    configureNodeBackend({ threads });
  });
  const cases: [number[], number | number[] | undefined][] = [
    [[7], 0],
    [[7], undefined],
    [[500, 432], 0], // bias gradient: leading axis
    [[500, 432], 1],
    [
      [500, 432],
      [0, 1],
    ],
    [[33, 7, 1], [2]],
    [
      [1, 33, 7],
      [0, 2],
    ],
    [
      [500, 27, 3, 34],
      [1, 3],
    ],
    [
      [500, 27, 3, 34],
      [0, 2],
    ],
    [
      [3, 27, 500],
      [0, 2],
    ],
    [[11, 9, 500], [1]],
    [
      [2, 3, 4, 5],
      [-1, 0],
    ],
    [[2, 3, 4, 5], []],
    [[0, 7], 0],
    [[7, 0], 1],
    [[7, 0], 0],
    [[1000, 600], 0], // above the pool's threshold, split by columns
    [[600, 1000], 1], // split by rows
  ];
  it.each(cases)("%j over %j, float32 and int32, keepDims both ways", async (s, axis) => {
    for (const keepDims of [false, true]) {
      await same(() => tf.sum(f32(s, 60), axis, keepDims), 1e-6);
      await same(() => tf.sum(i32(s, 61), axis, keepDims));
    }
  });
  it("bool goes to the cpu kernel", async () => {
    await same(() => tf.sum(tf.tensor([true, false, true], [3], "bool")));
  });
});

describe.each(threadSettings)("ScatterNd, %i thread(s)", (threads) => {
  beforeAll(() => {
    configureNodeBackend({ threads });
  });
  const rows = (n: number, m: number, seed: number) =>
    tf.tensor(
      Array.from(values(n, seed), (v) => Math.floor(((v + 1) / 2) * m)),
      [n, 1],
      "int32",
    );
  it.each([
    [7, 33, [7]],
    [33, 7, [33, 1]],
    [432, 500, [500]], // layers' row gather gradient: rows of 500, many duplicates
    [1000, 10, [300]], // above the pool's threshold
    [165888, 83538, []], // 1-D updates
    [1, 1, []],
    [0, 5, [3]],
  ])("%i updates into %i rows of %j", async (n, m, inner) => {
    await same(() => tf.scatterND(rows(n, m, 70), f32([n, ...inner], 71), [m, ...inner]));
    await same(() => tf.scatterND(rows(n, m, 72), i32([n, ...inner], 73), [m, ...inner]));
  });
  it("slice rank 2 and an empty output", async () => {
    const idx = tf.tensor([0, 1, 2, 0, 0, 1, 0, 1], [4, 2], "int32");
    await same(() => tf.scatterND(idx, f32([4, 7], 74), [3, 2, 7]));
    await same(() => tf.scatterND(tf.tensor([], [0, 1], "int32"), f32([0, 4], 75), [0, 4]));
  });
  it("an index out of range throws the cpu kernel's error", async () => {
    await tf.setBackend("node");
    expect(() =>
      tf.scatterND(tf.tensor([[1], [9]], [2, 1], "int32"), tf.ones([2, 3]), [4, 3]),
    ).toThrow(/Invalid indices/);
  });
});

describe.each(threadSettings)("PadV2, %i thread(s)", (threads) => {
  beforeAll(() => {
    configureNodeBackend({ threads });
  });
  const cases: [number[], [number, number][], number][] = [
    [
      [81, 500],
      [
        [100, 251],
        [0, 0],
      ],
      0,
    ], // the gradient of Slice
    [[7], [[1, 33]], 0],
    [
      [7, 33],
      [
        [0, 0],
        [1, 2],
      ],
      1.5,
    ],
    [
      [2, 3, 4],
      [
        [1, 0],
        [0, 2],
        [3, 1],
      ],
      -2,
    ],
    [
      [2, 1, 3, 5],
      [
        [0, 1],
        [1, 0],
        [0, 0],
        [2, 2],
      ],
      0,
    ],
    [
      [0, 3],
      [
        [1, 1],
        [0, 2],
      ],
      7,
    ],
    [
      [3, 3],
      [
        [0, 0],
        [0, 0],
      ],
      0,
    ],
    [
      [600, 400],
      [
        [10, 10],
        [0, 0],
      ],
      0,
    ], // above the pool's threshold
    [
      [600, 400],
      [
        [0, 0],
        [5, 1],
      ],
      0,
    ],
  ];
  it.each(cases)("%j padded by %j with %f", async (s, pads, c) => {
    await same(() => tf.pad(f32(s, 80), pads, c));
    await same(() => tf.pad(i32(s, 81), pads, c));
  });
});

describe.each(threadSettings)("Transpose, %i thread(s)", (threads) => {
  beforeAll(() => {
    configureNodeBackend({ threads });
  });
  const perms = (r: number): number[][] =>
    r === 0
      ? [[]]
      : perms(r - 1).flatMap((p) =>
          Array.from({ length: r }, (_, i) => [...p.slice(0, i), r - 1, ...p.slice(i)]),
        );
  it.each([[[7]], [[33, 7]], [[1, 33]], [[500, 432]], [[40, 1]], [[0, 3]], [[700, 600]]])(
    "%j, every permutation",
    async (s) => {
      for (const p of perms(s.length)) await same(() => tf.transpose(f32(s, 90), p));
    },
  );
  it.each([
    [[500, 3, 34]],
    [[3, 1, 7]],
    [[33, 7, 2]],
    [[2, 3, 4, 5]],
    [[7, 1, 33, 1]],
    [[2, 0, 3]],
  ])("%j, every permutation, float32 and int32", async (s) => {
    for (const p of perms(s.length)) {
      await same(() => tf.transpose(f32(s, 91), p));
      await same(() => tf.transpose(i32(s, 92), p));
    }
  });
  it("bool goes to the cpu kernel", async () => {
    await same(() =>
      tf.transpose(tf.tensor([true, false, false, true, true, false], [2, 3], "bool")),
    );
  });
});

describe.each(threadSettings)("small batched matMul, %i thread(s)", (threads) => {
  beforeAll(() => {
    configureNodeBackend({ threads });
  });
  // [batch, m, k, n]: the shapes of an EMLP step, odd sizes, N at and around multiples of 8.
  const shapes = [
    [500, 9, 9, 11],
    [500, 9, 11, 9],
    [500, 3, 27, 34],
    [500, 27, 3, 34],
    [500, 3, 34, 3],
    [7, 1, 1, 1],
    [33, 7, 33, 7],
    [3, 5, 4, 8],
    [3, 5, 4, 16],
    [2, 2, 3, 64],
    [2, 33, 1, 1],
  ];
  it.each(shapes)("[%i, %i x %i] x [%i x ...], all transposes", async (b, m, k, n) => {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        const f = () =>
          tf.matMul(
            f32([b, ...(ta ? [k, m] : [m, k])], 100),
            f32([b, ...(tb ? [n, k] : [k, n])], 101),
            ta,
            tb,
          );
        await same(f, 1e-5);
      }
    }
  });
  it("broadcast batches ([4, 1, 3, 5] x [1, 6, 5, 7])", async () => {
    const ref = await on("cpu", () =>
      tf.matMul(
        tf.tile(f32([4, 1, 3, 5], 102), [1, 6, 1, 1]),
        tf.tile(f32([1, 6, 5, 7], 103), [4, 1, 1, 1]),
      ),
    );
    const got = await on("node", () => tf.matMul(f32([4, 1, 3, 5], 102), f32([1, 6, 5, 7], 103)));
    expect(got.shape).toEqual([4, 6, 3, 7]);
    expect(relErr(got.data, ref.data)).toBeLessThan(1e-5);
  });
});
