import type { TaskData } from "@isotropy/tasks";
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
  const x = new Float32Array(train.n * nIn);
  const y = new Float32Array(train.n * nOut);
  for (let i = 0; i < train.n; i++) {
    for (let j = 0; j < nIn; j++) {
      x[i * nIn + j] = (train.x[i * nIn + j] as number) / (s.inputScale[j] as number);
    }
    for (let j = 0; j < nOut; j++) {
      const k = i * nOut + j;
      y[k] = ((train.y[k] as number) - (s.outputMean[j] as number)) / (s.outputScale[j] as number);
    }
  }
  const split = { x: tf.tensor2d(x, [train.n, nIn]), y: tf.tensor2d(y, [train.n, nOut]) };
  try {
    return await fn(split);
  } finally {
    tf.dispose([split.x, split.y]);
  }
}
