import type { Rng } from "@isotropy/core";
import {
  type ModelEquivarianceOptions,
  type Module,
  modelEquivarianceError,
} from "@isotropy/layers";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator, scaleAdjustedError } from "@isotropy/reps";
import { evaluate, type ModelLike } from "./evaluate.js";

/**
 * emlp's equivariance error of a model over a data set (`modelEquivarianceError` of
 * @isotropy/layers): the mean over the inputs of the scale-adjusted ||f(g x) - rho_out(g) f(x)||
 * with one sampled g per input. On generic inputs (trivial stabilizers) relaxed strategies must
 * score as low as exactly equivariant ones.
 */
export function equivarianceError(
  module: Module,
  repIn: Rep,
  repOut: Rep,
  data: { readonly x: Float32Array; readonly n: number },
  rng: Rng,
  opts: ModelEquivarianceOptions = {},
): number {
  return modelEquivarianceError(module, repIn, repOut, data, rng, opts);
}

/** The scale-adjusted ||f(g x) - rho_out(g) f(x)|| for one input and one group element. */
export function pointEquivarianceError(
  f: ModelLike,
  repIn: Rep,
  repOut: Rep,
  x: ArrayLike<number>,
  g: Matrix,
): number {
  const xv = Float64Array.from(x);
  const fx = evaluate(f, xv);
  const fgx = evaluate(f, rhoOperator(repIn, g).matvec(xv));
  return scaleAdjustedError(fgx, rhoOperator(repOut, g).matvec(fx), g);
}
