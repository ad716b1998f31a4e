import { InvalidArgumentError, rng as makeRng } from "@isotropy/core";
import type { Module } from "@isotropy/layers";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";

/** A two-sample test's outcome. */
export interface TwoSampleTest {
  /** The energy distance between the samples. */
  readonly statistic: number;
  /** The permutation p-value: (1 + #{permuted statistic >= observed}) / (1 + permutations). */
  readonly pValue: number;
}

export interface TwoSampleOptions {
  /** Random relabellings (default 499). */
  readonly permutations?: number;
  /** Seed of the relabellings (default 0): the test is reproducible. */
  readonly seed?: number;
}

function dist(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i]! - b[i]!) ** 2;
  return Math.sqrt(s);
}

/**
 * The energy distance two-sample test (Székely & Rizzo) with a permutation p-value:
 * E = 2 mean|a - b| - mean|a - a'| - mean|b - b'| (V-statistics), compared with the statistic
 * of `permutations` random splits of the pooled sample.
 */
export function energyTest(
  a: readonly Float64Array[],
  b: readonly Float64Array[],
  opts: TwoSampleOptions = {},
): TwoSampleTest {
  const n = a.length;
  const m = b.length;
  if (n < 2 || m < 2) {
    throw new InvalidArgumentError(`energyTest needs at least 2 samples each, got ${n} and ${m}.`);
  }
  const pooled = [...a, ...b];
  const N = n + m;
  const d = new Float64Array(N * N);
  for (let i = 0; i < N; i++) {
    for (let j = i + 1; j < N; j++) {
      const v = dist(pooled[i]!, pooled[j]!);
      d[i * N + j] = v;
      d[j * N + i] = v;
    }
  }
  const total = d.reduce((s, v) => s + v, 0);
  const inA = new Uint8Array(N);
  const stat = (idx: Int32Array) => {
    inA.fill(0);
    for (let k = 0; k < n; k++) inA[idx[k]!] = 1;
    let aa = 0;
    let bb = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        if (inA[i] && inA[j]) aa += d[i * N + j]!;
        else if (!inA[i] && !inA[j]) bb += d[i * N + j]!;
      }
    }
    const ab = (total - aa - bb) / 2;
    return (2 * ab) / (n * m) - aa / (n * n) - bb / (m * m);
  };
  const identity = Int32Array.from({ length: N }, (_, i) => i);
  const observed = stat(identity);
  const permutations = opts.permutations ?? 499;
  const r = makeRng(opts.seed ?? 0);
  let count = 0;
  for (let t = 0; t < permutations; t++) if (stat(r.permutation(N)) >= observed - 1e-12) count++;
  return { statistic: observed, pValue: (1 + count) / (1 + permutations) };
}

export interface DistributionOptions extends TwoSampleOptions {
  /** Draws of each side (default 64). */
  readonly samples?: number;
}

/**
 * Equivariance in distribution of a stochastic model at x for one g: `samples` draws of f(g x)
 * against `samples` draws of rho_out(g) f(x), compared by `energyTest`. The model gets its
 * randomness from ctx.rng, seeded from `seed`, so the test is reproducible. A small p-value
 * rejects equivariance in distribution.
 */
export function equivarianceInDistribution(
  module: Module,
  repIn: Rep,
  repOut: Rep,
  x: ArrayLike<number>,
  g: Matrix,
  opts: DistributionOptions = {},
): TwoSampleTest {
  const samples = opts.samples ?? 64;
  const seed = opts.seed ?? 0;
  const xv = Float64Array.from(x);
  const gx = rhoOperator(repIn, g).matvec(xv);
  const rhoOut = rhoOperator(repOut, g);
  const draw = (input: Float64Array, stream: string) => {
    const batch = new Float32Array(samples * input.length);
    for (let i = 0; i < samples; i++) batch.set(input, i * input.length);
    const out = tf.tidy(() =>
      module
        .apply(tf.tensor2d(batch, [samples, input.length]), {
          rng: makeRng(seed).fork(stream),
        })
        .dataSync(),
    );
    const k = out.length / samples;
    return Array.from({ length: samples }, (_, i) =>
      Float64Array.from(out.subarray(i * k, (i + 1) * k)),
    );
  };
  const left = draw(gx, "gx");
  const right = draw(xv, "x").map((y) => rhoOut.matvec(y));
  return energyTest(left, right, opts);
}
