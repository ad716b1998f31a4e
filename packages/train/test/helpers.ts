import { type Rng, rng } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import type { ApplyContext, NamedWeight, Split, TrainableModule, TrainData } from "../src/index.js";
import { registerGradients } from "../src/node.js";

await registerGradients();

/** y = x W + b, following the layers contract structurally. */
export class Linear implements TrainableModule {
  readonly name: string;
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  penalty?: () => tf.Scalar;

  constructor(inDim: number, outDim: number, seed = 1, name = "linear", scale?: number) {
    const r = rng(seed);
    const s = scale ?? 1 / Math.sqrt(inDim);
    this.name = name;
    this.w = tf.variable(
      tf.tensor2d(Float32Array.from(r.normals(inDim * outDim, s)), [inDim, outDim]),
    );
    this.b = tf.variable(tf.zeros([outDim]));
  }

  weights(): NamedWeight[] {
    return [
      { name: `${this.name}/w`, variable: this.w },
      { name: `${this.name}/b`, variable: this.b },
    ];
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(tf.matMul(x, this.w), this.b) as tf.Tensor2D;
  }

  dispose(): void {
    this.w.dispose();
    this.b.dispose();
  }
}

/**
 * One hidden tanh layer; at training time it adds small Gaussian noise drawn from `ctx.rng` to
 * its input, so that runs exercise the loop's per-epoch model generator.
 */
export class NoisyMlp implements TrainableModule {
  readonly name = "noisy-mlp";
  readonly l1: Linear;
  readonly l2: Linear;

  constructor(inDim: number, hidden: number, outDim: number, seed = 1) {
    this.l1 = new Linear(inDim, hidden, seed, "l1");
    this.l2 = new Linear(hidden, outDim, seed + 1000, "l2");
  }

  weights(): NamedWeight[] {
    return [...this.l1.weights(), ...this.l2.weights()];
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    return tf.tidy(() => {
      let input = x;
      if (ctx?.training && ctx.rng) {
        const [b, d] = x.shape;
        const noise = tf.tensor2d(Float32Array.from(ctx.rng.normals(b * d, 0.01)), [b, d]);
        input = tf.add(x, noise) as tf.Tensor2D;
      }
      return this.l2.apply(tf.tanh(this.l1.apply(input)) as tf.Tensor2D);
    });
  }

  dispose(): void {
    this.l1.dispose();
    this.l2.dispose();
  }
}

/** n samples of x ~ N(0, 1)^inDim and y = x A + c (A, c fixed by `mapSeed`). */
export function linearSplit(n: number, inDim: number, outDim: number, r: Rng, mapSeed = 7): Split {
  const m = rng(mapSeed);
  const a = m.normals(inDim * outDim);
  const c = m.normals(outDim);
  const x = Float32Array.from(r.normals(n * inDim));
  const y = new Float32Array(n * outDim);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < outDim; j++) {
      let s = c[j];
      for (let k = 0; k < inDim; k++) s += x[i * inDim + k] * a[k * outDim + j];
      y[i * outDim + j] = s;
    }
  }
  return { x, y, n };
}

export function linearData(
  nTrain: number,
  nVal: number,
  inDim = 4,
  outDim = 2,
  seed = 3,
): TrainData {
  const r = rng(seed);
  return {
    train: linearSplit(nTrain, inDim, outDim, r),
    val: linearSplit(nVal, inDim, outDim, r),
    inputDim: inDim,
    outputDim: outDim,
  };
}

/** The weights' current values, copied. */
export function snapshotWeights(m: TrainableModule): Map<string, Float32Array> {
  return new Map(m.weights().map((w) => [w.name, Float32Array.from(w.variable.dataSync())]));
}

/** Bitwise equality of two float arrays (NaN-safe, -0 != +0). */
export function sameBits(a: Float32Array, b: Float32Array): boolean {
  if (a.length !== b.length) return false;
  const ua = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const ub = new Uint32Array(b.buffer, b.byteOffset, b.length);
  return ua.every((v, i) => v === ub[i]);
}
