import { spawnSync } from "node:child_process";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { batchOffsets, configureNodeBackend, loadAddon } from "../src/index.js";
import { on, relErr, requireNode, values } from "./helpers.js";

// The built entry point, for a child process (the tests themselves run the sources).
const addonModuleUrl = new URL("../dist/index.js", import.meta.url).href;

const TOL = 1e-4;

beforeAll(requireNode);
afterAll(() => {
  configureNodeBackend({ bundled: false });
});

type Case = [shapeA: number[], shapeB: number[], transposeA: boolean, transposeB: boolean];

function matmulOn(backend: string, [sa, sb, ta, tb]: Case) {
  const na = sa.reduce((p, q) => p * q, 1);
  const nb = sb.reduce((p, q) => p * q, 1);
  return on(backend, () =>
    tf.matMul(tf.tensor(values(na, 1), sa), tf.tensor(values(nb, 2), sb), ta, tb),
  );
}

/** Shapes for op(A) = [.., m, k], op(B) = [.., k, n] under the four transpose combinations. */
function cases(ba: number[], bb: number[], m: number, k: number, n: number): Case[] {
  const out: Case[] = [];
  for (const ta of [false, true]) {
    for (const tb of [false, true]) {
      out.push([[...ba, ...(ta ? [k, m] : [m, k])], [...bb, ...(tb ? [n, k] : [k, n])], ta, tb]);
    }
  }
  return out;
}

const kernelCases: [string, Case[]][] = [
  ["rank 2", cases([], [], 5, 6, 7)],
  ["rank 2 sizes 1", cases([], [], 1, 1, 1)],
  ["rank 2 odd 7x33x7", cases([], [], 7, 33, 7)],
  ["rank 2 odd 33x7x33", cases([], [], 33, 7, 33)],
  ["rank 2 1000x7x1000", cases([], [], 1000, 7, 1000).slice(0, 2)],
  ["rank 2 1x1000x33", cases([], [], 1, 1000, 33)],
  ["rank 2 130x300x70 (several blocks)", cases([], [], 130, 300, 70)],
  ["rank 3", cases([3], [3], 4, 5, 6)],
  ["rank 3 broadcast A batch 1", cases([1], [4], 3, 5, 2)],
  ["rank 3 broadcast B batch 1", cases([4], [1], 3, 5, 2)],
  ["rank 3 x rank 2", cases([4], [], 3, 5, 2)],
  ["rank 2 x rank 3", cases([], [4], 3, 5, 2)],
  ["rank 4", cases([2, 3], [2, 3], 3, 4, 5)],
  ["rank 4 broadcast", cases([2, 3], [1, 3], 7, 33, 7)],
  ["rank 4 x rank 3", cases([2, 3], [3], 3, 4, 5)],
];

describe.each([
  ["blas", false],
  ["bundled", true],
])("node BatchMatMul (%s sgemm) matches cpu", (_, bundled) => {
  beforeAll(() => {
    configureNodeBackend({ bundled });
  });

  it.each(kernelCases)("%s, all transposes", async (_, cs) => {
    for (const c of cs) {
      const ref = await matmulOn("cpu", c);
      const got = await matmulOn("node", c);
      expect(got.shape).toEqual(ref.shape);
      expect(relErr(got.data, ref.data), JSON.stringify(c)).toBeLessThan(TOL);
    }
  });

  it("broadcasts batch dimensions in both directions ([2,1] x [1,3])", async () => {
    // tfjs's cpu kernel flattens batches (index modulo size), which is wrong here; compare with
    // explicitly tiled inputs instead.
    const a = values(2 * 1 * 3 * 4, 3);
    const b = values(1 * 3 * 4 * 5, 4);
    const ref = await on("cpu", () =>
      tf.matMul(
        tf.tile(tf.tensor(a, [2, 1, 3, 4]), [1, 3, 1, 1]),
        tf.tile(tf.tensor(b, [1, 3, 4, 5]), [2, 1, 1, 1]),
      ),
    );
    const got = await on("node", () =>
      tf.matMul(tf.tensor(a, [2, 1, 3, 4]), tf.tensor(b, [1, 3, 4, 5])),
    );
    expect(got.shape).toEqual([2, 3, 3, 5]);
    expect(relErr(got.data, ref.data)).toBeLessThan(TOL);
  });

  it.each([
    [
      [0, 4],
      [4, 5],
      [0, 5],
    ],
    [
      [3, 4],
      [4, 0],
      [3, 0],
    ],
    [
      [3, 0],
      [0, 5],
      [3, 5],
    ],
    [
      [0, 3, 4],
      [0, 4, 5],
      [0, 3, 5],
    ],
    [
      [2, 3, 0],
      [2, 0, 5],
      [2, 3, 5],
    ],
  ])("empty dimensions: %j x %j -> %j", async (sa, sb, so) => {
    const got = await on("node", () => tf.matMul(tf.zeros(sa), tf.zeros(sb)));
    const ref = await on("cpu", () => tf.matMul(tf.zeros(sa), tf.zeros(sb)));
    expect(got.shape).toEqual(so);
    expect(ref.shape).toEqual(so);
    expect(Array.from(got.data).every((v) => v === 0)).toBe(true);
  });

  it("rejects mismatched inner dimensions like cpu", async () => {
    await tf.setBackend("node");
    expect(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 5]))).toThrow(/inner shapes/);
  });

  it("int32 inputs go to the cpu kernel", async () => {
    const f = () =>
      tf.matMul(tf.tensor([1, 2, 3, 4], [2, 2], "int32"), tf.tensor([5, 6, 7, 8], [2, 2], "int32"));
    const got = await on("node", f);
    expect(Array.from(got.data)).toEqual([19, 22, 43, 50]);
  });

  const activations = ["linear", "relu", "elu", "relu6", "prelu", "leakyrelu", "sigmoid"] as const;
  it.each(activations)("_FusedMatMul with bias and %s", async (activation) => {
    for (const [sa, sb, ta, tb] of [...cases([], [], 7, 33, 9), ...cases([3], [1], 5, 4, 6)]) {
      const n = sb[sb.length - (tb ? 2 : 1)] as number;
      const na = sa.reduce((p, q) => p * q, 1);
      const nb = sb.reduce((p, q) => p * q, 1);
      const biasShapes: (number[] | null)[] = [[n], [1, n], null];
      for (const biasShape of biasShapes) {
        const f = () =>
          tf.fused.matMul({
            a: tf.tensor(values(na, 5), sa),
            b: tf.tensor(values(nb, 6), sb),
            transposeA: ta,
            transposeB: tb,
            bias: biasShape ? tf.tensor(values(n, 7), biasShape) : undefined,
            activation,
            preluActivationWeights:
              activation === "prelu" ? tf.tensor(values(n, 8), [n]) : undefined,
            leakyreluAlpha: 0.1,
          });
        const ref = await on("cpu", f);
        const got = await on("node", f);
        expect(got.shape).toEqual(ref.shape);
        expect(relErr(got.data, ref.data), `${sa} ${sb} ${biasShape}`).toBeLessThan(TOL);
      }
    }
  });

  it("_FusedMatMul with a bias that broadcasts over rows ([m, 1])", async () => {
    const f = () =>
      tf.fused.matMul({
        a: tf.tensor(values(6 * 4, 9), [6, 4]),
        b: tf.tensor(values(4 * 5, 10), [4, 5]),
        bias: tf.tensor(values(6, 11), [6, 1]),
        activation: "relu",
      });
    const ref = await on("cpu", f);
    const got = await on("node", f);
    expect(got.shape).toEqual([6, 5]);
    expect(relErr(got.data, ref.data)).toBeLessThan(TOL);
  });
});

describe("native addon", () => {
  it("loads and reports its build", () => {
    const state = loadAddon();
    if (!state.ok) throw new Error(state.reason);
    const info = state.addon.info();
    expect(["openblas", "bundled"]).toContain(info.blas);
    expect(info.threads).toBeGreaterThanOrEqual(1);
  });

  it("keeps freed tensor buffers for reuse on glibc, unless told not to", () => {
    const state = loadAddon();
    if (!state.ok) throw new Error(state.reason);
    // glibc reports its version in the process report; other C libraries keep their defaults.
    const report = process.report?.getReport() as
      | { header?: { glibcVersionRuntime?: string } }
      | undefined;
    const glibc = report?.header?.glibcVersionRuntime !== undefined;
    expect(state.addon.info().malloc).toBe(glibc ? "reuse" : "system");
    // The setting is read when the addon loads: a fresh process with the opt-out.
    const child = spawnSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `const m = await import(${JSON.stringify(addonModuleUrl)}); ` +
          "const s = m.loadAddon(); process.stdout.write(s.ok ? s.addon.info().malloc : s.reason);",
      ],
      { env: { ...process.env, ISOTROPY_NODE_MALLOC: "system" }, encoding: "utf8" },
    );
    expect(child.stdout).toBe("system");
  });

  it("honours the thread setting on both sgemm paths", async () => {
    for (const bundled of [false, true]) {
      for (const threads of [1, 2, 3]) {
        expect(configureNodeBackend({ threads, bundled }).threads).toBe(threads);
        const c: [number[], number[], boolean, boolean] = [[4, 70, 90], [90, 65], false, true];
        c[1] = [65, 90];
        const ref = await matmulOn("cpu", c);
        const got = await matmulOn("node", c);
        expect(relErr(got.data, ref.data)).toBeLessThan(TOL);
      }
    }
    configureNodeBackend({ threads: 2, bundled: false });
  });

  it("computes broadcast offsets", () => {
    const [a, b] = batchOffsets([2, 3], [2, 1], [3], 10, 100);
    expect(Array.from(a)).toEqual([0, 0, 0, 10, 10, 10]);
    expect(Array.from(b)).toEqual([0, 100, 200, 0, 100, 200]);
  });
});

describe("node Transpose/Add/Sub/Multiply match cpu", () => {
  it.each([
    [
      [5, 7],
      [1, 0],
    ],
    [
      [40, 33],
      [1, 0],
    ],
    [
      [2, 3, 4],
      [2, 0, 1],
    ],
    [
      [2, 3, 4, 5],
      [3, 1, 0, 2],
    ],
    [
      [0, 3],
      [1, 0],
    ],
  ])("transpose %j by %j", async (shape, perm) => {
    const n = shape.reduce((p, q) => p * q, 1);
    const f = () => tf.transpose(tf.tensor(values(n, 12), shape), perm);
    const ref = await on("cpu", f);
    const got = await on("node", f);
    expect(got.shape).toEqual(ref.shape);
    expect(Array.from(got.data)).toEqual(Array.from(ref.data));
  });

  it.each([
    [
      [4, 5],
      [4, 5],
    ],
    [[4, 5], [5]],
    [[4, 5], []],
    [[], [4, 5]],
    [
      [4, 1],
      [1, 5],
    ],
    [
      [2, 1, 3],
      [4, 1],
    ],
    [[0, 3], [3]],
  ])("add/sub/mul %j with %j", async (sa, sb) => {
    const na = sa.reduce((p, q) => p * q, 1);
    const nb = sb.reduce((p, q) => p * q, 1);
    for (const op of [tf.add, tf.sub, tf.mul]) {
      const f = () => op(tf.tensor(values(na, 13), sa), tf.tensor(values(nb, 14), sb));
      const ref = await on("cpu", f);
      const got = await on("node", f);
      expect(got.shape).toEqual(ref.shape);
      expect(Array.from(got.data)).toEqual(Array.from(ref.data));
    }
  });

  it("int32 add goes to the cpu kernel", async () => {
    const got = await on("node", () =>
      tf.add(tf.tensor([1, 2], [2], "int32"), tf.scalar(3, "int32")),
    );
    expect(Array.from(got.data)).toEqual([4, 5]);
  });
});
