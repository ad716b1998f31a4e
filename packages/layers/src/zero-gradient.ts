import * as tf from "@tensorflow/tfjs-core";

/**
 * x, unchanged, with `others` as extra inputs whose gradient is exactly zero: for weights that a
 * computation skips because they cannot change its result (see `BiLinear.livePairs`), so that
 * `tf.variableGrads` still returns a gradient for every weight, as without the skip. One clone
 * (which shares x's data) forward, one zero tensor per other backward.
 */
export function withZeroGradients<T extends tf.Tensor>(x: T, others: readonly tf.Tensor[]): T {
  if (others.length === 0) return x;
  const tie = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const inputs = args.slice(0, others.length + 1) as tf.Tensor[];
    return {
      value: tf.clone(inputs[0]!),
      gradFunc: (dy: tf.Tensor) => [dy, ...inputs.slice(1).map((t) => tf.zerosLike(t))],
    };
  });
  return tie(x, ...others) as T;
}
