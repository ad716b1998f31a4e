import { InvalidArgumentError, type Rng } from "@isotropy/core";
import { type Rep, rhoOperator, scaleAdjustedError } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import type { Module } from "./module.js";

export interface ModelEquivarianceOptions {
  /** How many inputs (from the start of `x`) to test, one sampled group element each. */
  samples?: number;
  batchSize?: number;
}

/**
 * emlp's equivariance error of a trained model: for inputs x_i and sampled group elements g_i,
 * the scale-adjusted error between f(rho_in(g_i) x_i) and rho_out(g_i) f(x_i), averaged over
 * the samples. The group actions are applied in float64; the model runs in its own precision.
 */
export function modelEquivarianceError(
  module: Module,
  repIn: Rep,
  repOut: Rep,
  data: { readonly x: Float32Array; readonly n: number },
  rng: Rng,
  opts: ModelEquivarianceOptions = {},
): number {
  const nIn = repIn.size;
  const nOut = repOut.size;
  if (data.x.length !== data.n * nIn) {
    throw new InvalidArgumentError(
      `Expected ${data.n} x ${nIn} inputs, got ${data.x.length} numbers.`,
    );
  }
  const n = Math.min(opts.samples ?? data.n, data.n);
  const batch = opts.batchSize ?? 500;
  const group = repIn.group;
  let total = 0;
  for (let start = 0; start < n; start += batch) {
    const m = Math.min(batch, n - start);
    const gs = Array.from({ length: m }, () => group.sample(rng));
    const x = data.x.subarray(start * nIn, (start + m) * nIn);
    const gx = new Float32Array(m * nIn);
    for (let i = 0; i < m; i++) {
      const xi = Float64Array.from(x.subarray(i * nIn, (i + 1) * nIn));
      gx.set(rhoOperator(repIn, gs[i]!).matvec(xi), i * nIn);
    }
    const [fx, fgx] = tf.tidy(() => [
      module.apply(tf.tensor2d(x, [m, nIn])).dataSync(),
      module.apply(tf.tensor2d(gx, [m, nIn])).dataSync(),
    ]);
    gs.forEach((g, i) => {
      const gfx = rhoOperator(repOut, g).matvec(
        Float64Array.from(fx!.subarray(i * nOut, (i + 1) * nOut)),
      );
      total += scaleAdjustedError(fgx!.subarray(i * nOut, (i + 1) * nOut), gfx, g);
    });
  }
  return total / Math.max(1, n);
}
