import { standardizeInputs, standardizeOutputs, type TaskData } from "@isotropy/tasks";
import * as tf from "@tensorflow/tfjs-core";

/**
 * Runs `fn` with the training split in the coordinates of the model inside the task's
 * standardisation (x / inputScale, (y - outputMean) / outputScale), as tensors disposed
 * afterwards: what a strategy that learns while building (a trained cloning teacher) trains on.
 */
export async function withInnerTrainSplit<T>(
  data: TaskData,
  fn: (train: { x: tf.Tensor2D; y: tf.Tensor2D }) => T | Promise<T>,
): Promise<T> {
  const { train, standardization: s } = data;
  const nIn = s.inputScale.length;
  const nOut = s.outputScale.length;
  const x = standardizeInputs(train.x, train.n, s);
  const y = standardizeOutputs(train.y, train.n, s);
  const split = { x: tf.tensor2d(x, [train.n, nIn]), y: tf.tensor2d(y, [train.n, nOut]) };
  try {
    return await fn(split);
  } finally {
    tf.dispose([split.x, split.y]);
  }
}
