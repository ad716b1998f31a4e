import * as tf from "@tensorflow/tfjs-core";

/** A training loss: a scalar from predictions and targets, both `[b, outputDim]`. */
export type LossFn = (prediction: tf.Tensor2D, target: tf.Tensor2D) => tf.Scalar;

/** Mean squared error over every entry of the batch (emlp's `((f(x) - y) ** 2).mean()`). */
export const mseLoss: LossFn = (prediction, target) =>
  tf.mean(tf.squaredDifference(prediction, target));
