import type { Matrix } from "@isotropy/linalg";
import type { Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";

/** rho_in(g) and rho_out(g) as float32 tensors, to move a whole batch by one group element g. */
export interface MovedBy {
  readonly rhoIn: tf.Tensor2D;
  readonly rhoOut: tf.Tensor2D;
}

export function movedBy(g: Matrix, repIn: Rep, repOut: Rep): MovedBy {
  const dense = (rep: Rep) => tf.tensor2d(Float32Array.from(rep.rho(g).data), [rep.size, rep.size]);
  return { rhoIn: dense(repIn), rhoOut: dense(repOut) };
}

/**
 * The mean squared equivariance defect of f on a batch x [n, in] under one element g:
 * mean ||f(rho_in(g) x) - rho_out(g) f(x)||² over rows and output coordinates. Zero exactly
 * when f commutes with g on x; differentiable, so it can join a loss (cloning's
 * `equivarianceWeight`). `fx` is f(x) when the caller already has it.
 */
export function equivarianceDefect(
  f: (x: tf.Tensor2D) => tf.Tensor2D,
  x: tf.Tensor2D,
  g: MovedBy,
  fx: tf.Tensor2D = f(x),
): tf.Scalar {
  return tf.tidy(() => {
    const fgx = f(tf.matMul(x, g.rhoIn, false, true));
    return tf.mean(tf.square(tf.sub(fgx, tf.matMul(fx, g.rhoOut, false, true)))) as tf.Scalar;
  });
}
