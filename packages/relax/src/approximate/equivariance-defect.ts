import { InvalidArgumentError } from "@isotropy/core";
import type { Matrix } from "@isotropy/linalg";
import type { Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";

/**
 * rho_in(g_k) and rho_out(g_k) of k group elements as float32 tensors [k, size, size]: a batch
 * is cut into k equal chunks of consecutive rows, chunk k moved by g_k.
 */
export interface MovedBy {
  readonly rhoIn: tf.Tensor3D;
  readonly rhoOut: tf.Tensor3D;
}

export function movedBy(list: readonly Matrix[], repIn: Rep, repOut: Rep): MovedBy {
  const dense = (rep: Rep) => {
    const n = rep.size;
    const out = new Float32Array(list.length * n * n);
    list.forEach((g, k) => {
      out.set(rep.rho(g).data, k * n * n);
    });
    return tf.tensor3d(out, [list.length, n, n]);
  };
  return { rhoIn: dense(repIn), rhoOut: dense(repOut) };
}

/** The largest k <= most that divides n (at least 1): how many chunks a batch of n rows takes. */
export function chunkCount(n: number, most: number): number {
  for (let k = Math.min(n, most); k > 1; k--) if (n % k === 0) return k;
  return 1;
}

/**
 * The mean squared equivariance defect of f on a batch x [m, in] under the elements of `g`
 * (chunk k of the rows moved by g_k): mean ||f(rho_in(g) x) - rho_out(g) f(x)||² over rows and
 * output coordinates. Zero exactly when f commutes with the g's on x; differentiable, so it can
 * join a loss (cloning's `equivarianceWeight`). `fx` is f(x) when the caller already has it.
 */
export function equivarianceDefect(
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  x: tf.Tensor2D,
  g: MovedBy,
  fx: tf.Tensor2D = f(x),
): tf.Scalar {
  const m = x.shape[0];
  const k = g.rhoIn.shape[0];
  if (m % k !== 0) {
    throw new InvalidArgumentError(
      `equivarianceDefect moves one chunk of rows per group element: ${m} rows do not split into ${k} equal chunks.`,
    );
  }
  return tf.tidy(() => {
    const byChunk = (t: tf.Tensor2D, rho: tf.Tensor3D) => {
      const cols = t.shape[1];
      const chunks = tf.reshape(t, [k, m / k, cols]) as tf.Tensor3D;
      return tf.reshape(tf.matMul(chunks, rho, false, true), [m, cols]) as tf.Tensor2D;
    };
    const fgx = f(byChunk(x, g.rhoIn));
    return tf.mean(tf.square(tf.sub(fgx, byChunk(fx, g.rhoOut)))) as tf.Scalar;
  });
}
