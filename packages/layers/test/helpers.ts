import "@tensorflow/tfjs-backend-cpu";
import type { Rng } from "@isotropy/core";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, scaleAdjustedError } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import type { Module } from "../src/index.js";
import { registerGradients } from "../src/node.js";

export async function useCpu(): Promise<void> {
  await registerGradients();
  await tf.setBackend("cpu");
  await tf.ready();
}

/** `bs` rows of `n` standard normals (scaled). */
export function randomBatch(rng: Rng, bs: number, n: number, scale = 1): Float64Array {
  return rng.normals(bs * n, scale);
}

/** Each row x_s -> rho(g) x_s, in float64. */
export function actOn(rep: Rep, g: Matrix, x: Float64Array): Float64Array {
  const r = rep.rho(g);
  const n = rep.size;
  const bs = x.length / n;
  const out = new Float64Array(x.length);
  for (let s = 0; s < bs; s++) {
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += r.data[i * n + j]! * x[s * n + j]!;
      out[s * n + i] = acc;
    }
  }
  return out;
}

/** The module's float32 output on a float64 batch, read back as float64. */
export function forward(
  module: Module,
  x: ArrayLike<number>,
  n: number,
  training = false,
  rng?: Rng,
): Float64Array {
  const bs = x.length / n;
  const out = tf.tidy(() => {
    const y = module.apply(tf.tensor2d(Float32Array.from(x), [bs, n]), {
      training,
      ...(rng ? { rng } : {}),
    });
    return y.dataSync().slice();
  });
  return Float64Array.from(out);
}

/** emlp's scale-adjusted error of f(rho_in(g) x) against rho_out(g) f(x). */
export function equivarianceError(
  module: Module,
  repIn: Rep,
  repOut: Rep,
  g: Matrix,
  x: Float64Array,
): number {
  const a = forward(module, actOn(repIn, g, x), repIn.size);
  const b = actOn(repOut, g, forward(module, x, repIn.size));
  return scaleAdjustedError(a, b, g);
}

/** The worst error over a few sampled group elements. */
export function worstEquivarianceError(
  module: Module,
  repIn: Rep,
  repOut: Rep,
  rng: Rng,
  opts: { samples?: number; batch?: number; scale?: number } = {},
): number {
  let worst = 0;
  for (let s = 0; s < (opts.samples ?? 3); s++) {
    const g = repIn.group.sample(rng);
    const x = randomBatch(rng, opts.batch ?? 8, repIn.size, opts.scale ?? 1);
    worst = Math.max(worst, equivarianceError(module, repIn, repOut, g, x));
  }
  return worst;
}
