import { InvalidArgumentError } from "@isotropy/core";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";

/** A per-pair loss: prediction and target [..., outputSize] -> loss [...] (reduces the last axis). */
export type PairLoss = (pred: tf.Tensor, target: tf.Tensor) => tf.Tensor;

/** Mean squared error over the last axis. */
export const meanSquaredError: PairLoss = (pred, target) =>
  tf.mean(tf.square(tf.sub(pred, target)), -1);

/**
 * The admissible targets of one sample: { rho_out(h) y : h in elements } (elements of Stab(x),
 * e.g. `stabilizer(...).elements()`), in the order given.
 */
export function stabilizerTargets(
  repOut: Rep,
  y: ArrayLike<number>,
  elements: readonly Matrix[],
): Float64Array[] {
  const yv = Float64Array.from(y);
  return elements.map((h) => rhoOperator(repOut, h).matvec(yv));
}

/**
 * The orbit-aware loss for ambiguous targets: at a symmetric input every image h y of the target
 * under Stab(x) is equally right, so each sample scores min over h of loss(f(x), h y); the batch
 * mean is returned. `targets[i]` lists sample i's admissible targets (see `stabilizerTargets`;
 * a single target for a generic input). Differentiable in `pred` (the gradient flows to the
 * minimising target).
 */
export function orbitAwareLoss(
  pred: tf.Tensor2D,
  targets: readonly (readonly ArrayLike<number>[])[],
  loss: PairLoss = meanSquaredError,
): tf.Scalar {
  const [batch, out] = pred.shape;
  if (targets.length !== batch) {
    throw new InvalidArgumentError(
      `orbitAwareLoss: ${batch} predictions but ${targets.length} target lists.`,
    );
  }
  const h = Math.max(1, ...targets.map((t) => t.length));
  const data = new Float32Array(batch * h * out);
  targets.forEach((list, i) => {
    if (list.length === 0) {
      throw new InvalidArgumentError(`orbitAwareLoss: sample ${i} has no target.`);
    }
    for (let k = 0; k < h; k++) {
      const t = list[Math.min(k, list.length - 1)]!;
      if (t.length !== out) {
        throw new InvalidArgumentError(
          `orbitAwareLoss: target ${k} of sample ${i} has ${t.length} entries, predictions ${out}.`,
        );
      }
      data.set(Float32Array.from(t), (i * h + k) * out);
    }
  });
  return tf.tidy(() => {
    const y = tf.tensor3d(data, [batch, h, out]);
    const p = tf.tile(tf.reshape(pred, [batch, 1, out]), [1, h, 1]);
    const perPair = loss(p, y);
    return tf.mean(tf.min(perPair, 1)) as tf.Scalar;
  });
}

/**
 * The orbit-aware loss of one batch whose samples share a stabilizer's elements (or of a single
 * sample): min over h in `elements` of loss(pred_i, rho_out(h) y_i), averaged.
 */
export function orbitAwareLossUnder(
  pred: tf.Tensor2D,
  y: ArrayLike<number>,
  elements: readonly Matrix[],
  repOut: Rep,
  loss: PairLoss = meanSquaredError,
): tf.Scalar {
  const [batch, out] = pred.shape;
  if (y.length !== batch * out) {
    throw new InvalidArgumentError(
      `orbitAwareLossUnder: ${batch} x ${out} predictions but ${y.length} target numbers.`,
    );
  }
  const lists = Array.from({ length: batch }, (_, i) =>
    stabilizerTargets(repOut, Array.prototype.slice.call(y, i * out, (i + 1) * out), elements),
  );
  return orbitAwareLoss(pred, lists, loss);
}
