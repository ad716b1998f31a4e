import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { type Split, validateSplit } from "./data.js";
import type { TrainableModule } from "./module.js";

/** The model's predictions on a split and their mean squared error. */
export interface Evaluation {
  /** Mean over all `n * outputDim` entries of the squared error, summed in float64. */
  mse: number;
  /** `n * outputDim` predictions, row-major. */
  predictions: Float32Array;
}

/**
 * Predicts a split in batches (`training: false`) and scores it. `inputDim` and `outputDim`
 * are read from the split (`x.length / n`, `y.length / n`). Every tensor it makes is freed.
 */
export async function evaluate(
  module: TrainableModule,
  split: Split,
  batchSize = 500,
): Promise<Evaluation> {
  if (split === undefined || split === null || !Number.isInteger(split.n) || split.n < 1) {
    throw new InvalidArgumentError(`evaluate: split.n must be a positive integer.`);
  }
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError(
      `evaluate: batchSize must be a positive integer, got ${batchSize}.`,
    );
  }
  const n = split.n;
  const inputDim = split.x.length / n;
  const outputDim = split.y.length / n;
  if (
    !Number.isInteger(inputDim) ||
    !Number.isInteger(outputDim) ||
    inputDim < 1 ||
    outputDim < 1
  ) {
    throw new ShapeError(
      "evaluate: split",
      `x and y lengths that are positive multiples of n = ${n}`,
      `x.length = ${split.x.length}, y.length = ${split.y.length}`,
    );
  }
  validateSplit("split", split, inputDim, outputDim);
  return predictAndScore(module, split, inputDim, outputDim, batchSize);
}

/** `evaluate` without the checks, for callers that validated the split already. */
export async function predictAndScore(
  module: TrainableModule,
  split: Split,
  inputDim: number,
  outputDim: number,
  batchSize: number,
): Promise<Evaluation> {
  const n = split.n;
  const predictions = new Float32Array(n * outputDim);
  for (let start = 0; start < n; start += batchSize) {
    const b = Math.min(batchSize, n - start);
    const out = tf.tidy(() => {
      const xb = tf.tensor2d(
        split.x.subarray(start * inputDim, (start + b) * inputDim),
        [b, inputDim],
        "float32",
      );
      const pred = module.apply(xb, { training: false });
      checkOutput(module, pred, b, outputDim);
      return pred;
    });
    try {
      predictions.set(await out.data(), start * outputDim);
    } finally {
      out.dispose();
    }
  }
  let sum = 0;
  for (let i = 0; i < predictions.length; i++) {
    const d = predictions[i] - split.y[i];
    sum += d * d;
  }
  return { mse: sum / predictions.length, predictions };
}

/** Refuses a model output that is not `[b, outputDim]` float32. */
export function checkOutput(
  module: TrainableModule,
  pred: tf.Tensor,
  b: number,
  outputDim: number,
): void {
  if (pred.rank !== 2 || pred.shape[0] !== b || pred.shape[1] !== outputDim) {
    throw new ShapeError(
      `Output of model "${module.name}"`,
      `[${b}, ${outputDim}]`,
      `[${pred.shape.join(", ")}]`,
    );
  }
}
