/**
 * Optimizer kernels: a backend may register one to update a weight and its moments in one pass
 * instead of a dozen elementwise kernels, each with its own output; the optimizer dispatches to
 * it when the active backend has it and uses its composite of tfjs ops otherwise.
 */

/**
 * One Adam step (Kingma & Ba 2015, Algorithm 1) for one weight. Inputs `{w, g, m, v}` (float32,
 * one size), attrs `AdamUpdateAttrs`; outputs `[w', m', v']` shaped like w:
 *
 *   m' = m·β1 + g·(1 - β1)
 *   v' = v·β2 + g²·(1 - β2)
 *   w' = w - ((m' / c1) / (sqrt(v' / c2) + ε))·lr
 *
 * with every operation, and every constant (β1, 1 - β1, ..., taken from the attrs as float64),
 * rounded to float32 in this order and without fused multiply-adds, so that the result is the
 * same bits as the composite of tfjs ops.
 */
export const ADAM_UPDATE_KERNEL = "IsotropyAdamUpdate";

export interface AdamUpdateAttrs {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly learningRate: number;
  /** The bias corrections of step t: 1 - β1^t and 1 - β2^t. */
  readonly c1: number;
  readonly c2: number;
}
