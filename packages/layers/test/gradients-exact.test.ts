import { rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  BiLinear,
  EquivariantLinear,
  GatedNonlinearity,
  gated,
  gateIndices,
  uniformRep,
} from "../src/index.js";
import { InputPieces } from "../src/input-pieces.js";
import { constantRightProduct, elementwiseProduct, matMul } from "../src/matmul.js";
import { Selection } from "../src/selection.js";
import { randomBatch, useCpu } from "./helpers.js";

beforeAll(useCpu);

function maxRelDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!;
    const s = tf.max(tf.abs(b)).dataSync()[0]!;
    return d / Math.max(s, 1e-12);
  });
}

/** One-hot [from, to] matrix: column k has a 1 in row index[k] (none for -1). */
function oneHot(index: ArrayLike<number>, from: number): tf.Tensor2D {
  const m = new Float32Array(from * index.length);
  for (let k = 0; k < index.length; k++) if (index[k]! >= 0) m[index[k]! * index.length + k] = 1;
  return tf.tensor2d(m, [from, index.length]);
}

describe("kernels with hand-written gradients agree with plain tfjs", () => {
  it("Selection: values and gradients of rows/columns, with zeros and contiguous runs", () => {
    for (const source of [
      Int32Array.from([3, -1, 0, 5, 2]),
      Int32Array.from([2, 3, 4]),
      Int32Array.from([5, 4, 3, 2, 1, 0]),
      Int32Array.from([0, 1, 2, 3, 4, 5]),
    ]) {
      const sel = new Selection(source, 6);
      const x = tf.randomNormal([4, 6], 0, 1, "float32", 1) as tf.Tensor2D;
      const ref = (v: tf.Tensor2D) => tf.matMul(v, oneHot(source, 6));
      expect(maxRelDiff(sel.columns(x), ref(x))).toBe(0);
      const w = tf.randomNormal([4, source.length], 0, 1, "float32", 2);
      const g1 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(sel.columns(v as tf.Tensor2D), w)))(x);
      const g2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(ref(v as tf.Tensor2D), w)))(x);
      expect(maxRelDiff(g1, g2)).toBeLessThan(1e-6);
      sel.dispose();
    }
    expect(() => new Selection(Int32Array.from([1, 1]), 3)).toThrow(/injective/);
  });

  it("constantRightProduct: value and gradient equal tf.matMul's with b held constant", () => {
    const a = tf.randomNormal([5, 4], 0, 1, "float32", 7) as tf.Tensor2D;
    const b = tf.randomNormal([4, 3], 0, 1, "float32", 8) as tf.Tensor2D;
    const w = tf.randomNormal([5, 3], 0, 1, "float32", 9);
    const product = constantRightProduct(b);
    expect(maxRelDiff(product.apply(a), tf.matMul(a, b))).toBeLessThan(1e-6);
    const g1 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(product.apply(v as tf.Tensor2D), w)))(a);
    const g2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.matMul(v as tf.Tensor2D, b), w)))(a);
    expect(maxRelDiff(g1, g2)).toBeLessThan(1e-6);
    product.dispose();
  });

  it("InputPieces: pieces hold each key's copies element-major, and split's gradient is exact", () => {
    // Three leaves of size 2 at scattered positions: keys a, b, a.
    const instances = [
      { leaf: null as never, positions: Int32Array.from([4, 0]) },
      { leaf: null as never, positions: Int32Array.from([1, 5]) },
      { leaf: null as never, positions: Int32Array.from([2, 3]) },
    ];
    const keys = ["a", "b", "a"];
    const pieces = new InputPieces(instances, 7, (i) => keys[instances.indexOf(i as never)]!);
    expect(pieces.sizes).toEqual([4, 2]);
    // piece a: element 0 of copies (4, 2), then element 1 of copies (0, 3).
    expect(pieces.locate(Int32Array.from([4, 2, 0, 3]))).toEqual({
      piece: 0,
      rows: Int32Array.from([0, 1, 2, 3]),
    });
    expect(() => pieces.locate(Int32Array.from([4, 1]))).toThrow(/span/);
    const xt = tf.randomNormal([7, 3], 0, 1, "float32", 4) as tf.Tensor2D;
    const [pa, pb] = pieces.split(xt);
    const rows = (t: tf.Tensor, idx: number[]) => tf.gather(t, tf.tensor1d(idx, "int32"));
    expect(maxRelDiff(pa!, rows(xt, [4, 2, 0, 3]))).toBe(0);
    expect(maxRelDiff(pb!, rows(xt, [1, 5]))).toBe(0);
    const w = tf.randomNormal([6, 3], 0, 1, "float32", 5);
    const g1 = tf.grad((v: tf.Tensor) =>
      tf.sum(tf.mul(tf.concat(pieces.split(v as tf.Tensor2D)), w)),
    )(xt);
    const g2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(rows(v, [4, 2, 0, 3, 1, 5]), w)))(xt);
    expect(maxRelDiff(g1, g2)).toBe(0);
    pieces.dispose();
  });

  it("matMul: 2-D and batched gradients equal tf.matMul's", () => {
    for (const [sa, sb] of [
      [
        [5, 4],
        [4, 3],
      ],
      [
        [6, 2, 3],
        [6, 3, 4],
      ],
      [
        [6, 5, 1],
        [6, 1, 2],
      ],
    ] as const) {
      const a = tf.randomNormal([...sa], 0, 1, "float32", 3);
      const b = tf.randomNormal([...sb], 0, 1, "float32", 4);
      const f = (mm: (x: tf.Tensor, y: tf.Tensor) => tf.Tensor) =>
        tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(mm(x, y))))([a, b]);
      const [ga, gb] = f((x, y) => matMul(x, y));
      const [ra, rb] = f((x, y) => tf.matMul(x as tf.Tensor2D, y as tf.Tensor2D));
      expect(maxRelDiff(ga!, ra!)).toBeLessThan(1e-5);
      expect(maxRelDiff(gb!, rb!)).toBeLessThan(1e-5);
    }
  });

  it("the elementwise batched product (used on wasm for tiny inner sizes) equals matMul", () => {
    const a = tf.randomNormal([4, 5, 3], 0, 1, "float32", 9);
    const b = tf.randomNormal([4, 3, 6], 0, 1, "float32", 10);
    expect(
      maxRelDiff(elementwiseProduct(a, b), tf.matMul(a as tf.Tensor3D, b as tf.Tensor3D)),
    ).toBeLessThan(1e-6);
  });

  it("EquivariantLinear: gradients equal those of y = x (B c)^T with the dense basis", () => {
    const g = O(3);
    const repIn = V(g)
      .tensor(V(g).plus(Scalar(g)))
      .plus(Scalar(g));
    const repOut = V(g).times(2).plus(T(g, 2), Scalar(g));
    const layer = new EquivariantLinear(repIn, repOut, { rng: rng(1), bias: false });
    const dense = layer.basis.toDense(); // (out * in) x dim
    // The parametrisation scales each pair's columns by sqrt(rows / r) (BasisAssembly.alphas).
    for (const p of layer.basis.pairs) {
      const alpha = Math.sqrt(p.basis.rows / p.basis.dim);
      const end = p.coeffOffset + p.basis.dim * p.outOffsets.length * p.inOffsets.length;
      for (let i = 0; i < dense.rows; i++) {
        for (let j = p.coeffOffset; j < end; j++) dense.data[i * dense.cols + j]! *= alpha;
      }
    }
    const b = tf.tensor2d(Float32Array.from(dense.data), [dense.rows, dense.cols]);
    const vars = layer.weights().map((w) => w.variable);
    const x = tf.tensor2d(Float32Array.from(randomBatch(rng(2), 7, repIn.size)), [7, repIn.size]);
    const target = tf.randomNormal([7, repOut.size], 0, 1, "float32", 5);
    const loss = (y: tf.Tensor) => tf.sum(tf.mul(tf.square(y), target)) as tf.Scalar;
    const got = tf.variableGrads(() => loss(layer.apply(x)), vars).grads;
    const flat = tf.concat(vars.map((v) => tf.reshape(v, [-1])));
    const want = tf.grad((c: tf.Tensor) => {
      const w = tf.reshape(tf.matMul(b, tf.reshape(c, [-1, 1])), [repOut.size, repIn.size]);
      return loss(tf.matMul(x, w, false, true));
    })(flat);
    const gotFlat = tf.concat(vars.map((v) => tf.reshape(got[v.name]!, [-1])));
    expect(maxRelDiff(gotFlat, want)).toBeLessThan(1e-5);
    layer.dispose();
  });

  it("BiLinear: gradients in θ and x equal those of a plain-tfjs evaluation of its pairs", () => {
    const g = O(3);
    const rep = gated(uniformRep(24, g));
    const layer = new BiLinear(rep, rep, { rng: rng(3) });
    const pairs = layer.pairs();
    const thetas = layer.weights().map((w) => w.variable);
    const bs = 5;
    const x = tf.tensor2d(Float32Array.from(randomBatch(rng(4), bs, rep.size)), [bs, rep.size]);
    const reference = (v: tf.Tensor2D, th: tf.Tensor[]) => {
      let y: tf.Tensor = tf.zeros([bs, rep.size]);
      for (const p of pairs) {
        const so = p.outCopies[0]!.length;
        const si = p.inCopies[0]!.length;
        const n = p.pool.length;
        const cI = p.inCopies.length;
        const cO = p.outCopies.length;
        const z = tf.reshape(
          tf.matMul(
            v,
            oneHot(
              p.pool.flatMap((q) => Array.from(q)),
              rep.size,
            ),
          ),
          [bs, 1, n, so, si],
        );
        const xc = tf.reshape(
          tf.matMul(
            v,
            oneHot(
              p.inCopies.flatMap((q) => Array.from(q)),
              rep.size,
            ),
          ),
          [bs, cI, 1, 1, si],
        );
        const t = tf.sum(tf.mul(z, xc), 4); // [bs, cI, n, so]
        const o = tf.sum(
          tf.mul(tf.reshape(th[p.variable]!, [1, cO, cI, n, 1]), tf.reshape(t, [bs, 1, cI, n, so])),
          [2, 3],
        );
        const place = oneHot(
          Array.from({ length: rep.size }, (_, pos) => {
            for (let oo = 0; oo < cO; oo++) {
              const a = p.outCopies[oo]!.indexOf(pos);
              if (a >= 0) return oo * so + a;
            }
            return -1;
          }),
          cO * so,
        );
        y = tf.add(y, tf.mul(tf.matMul(tf.reshape(o, [bs, cO * so]), place), p.gain));
      }
      return y;
    };
    const w = tf.randomNormal([bs, rep.size], 0, 1, "float32", 6);
    const got = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v as tf.Tensor2D), w)))([x]);
    const want = tf.grads((v: tf.Tensor) => tf.sum(tf.mul(reference(v as tf.Tensor2D, thetas), w)))(
      [x],
    );
    expect(maxRelDiff(got[0]!, want[0]!)).toBeLessThan(1e-5);
    const gotT = tf.variableGrads(
      () => tf.sum(tf.mul(layer.apply(x), w)) as tf.Scalar,
      thetas,
    ).grads;
    const wantT = tf.grads((...th: tf.Tensor[]) => tf.sum(tf.mul(reference(x, th), w)))(thetas);
    thetas.forEach((t, i) => {
      expect(maxRelDiff(gotT[t.name]!, wantT[i]!)).toBeLessThan(1e-5);
    });
    layer.dispose();
  });

  it("GatedNonlinearity: gradients equal those of the gather formula", () => {
    const g = O(3);
    const rep = V(g)
      .tensor(V(g).plus(Scalar(g)))
      .plus(Scalar(g).times(2), V(g));
    const layer = new GatedNonlinearity(rep);
    const idx = gateIndices(rep);
    const x = tf.randomNormal([6, layer.inputSize], 0, 1, "float32", 7) as tf.Tensor2D;
    const w = tf.randomNormal([6, rep.size], 0, 1, "float32", 8);
    const ref = (v: tf.Tensor2D) =>
      tf.mul(
        tf.sigmoid(tf.matMul(v, oneHot(idx, layer.inputSize))),
        tf.slice(v, [0, 0], [-1, rep.size]),
      );
    expect(maxRelDiff(layer.apply(x), ref(x))).toBeLessThan(1e-6);
    const g1 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(layer.apply(v as tf.Tensor2D), w)))(x);
    const g2 = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(ref(v as tf.Tensor2D), w)))(x);
    expect(maxRelDiff(g1, g2)).toBeLessThan(1e-6);
    layer.dispose();
  });
});
