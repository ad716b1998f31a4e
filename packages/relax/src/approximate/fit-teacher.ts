import { InvalidArgumentError, type Rng } from "@isotropy/core";
import type { Module } from "@isotropy/layers";
import * as tf from "@tensorflow/tfjs-core";

export interface TeacherFitOptions {
  readonly epochs: number;
  /** Default 500 (emlp's). */
  readonly batchSize?: number;
  /** Adam's learning rate (default 3e-3, emlp's). */
  readonly learningRate?: number;
  /** Shuffles the batches. */
  readonly rng: Rng;
}

/**
 * Trains a teacher on (x, y) with Adam on the MSE, seeded minibatches, before it is cloned (the
 * cloning strategy's `teacher: "trained"`); returns the final training MSE. x [n, in] and
 * y [n, out] are in the model's own coordinates (inside any standardisation).
 */
export function fitTeacher(
  teacher: Module,
  data: { readonly x: tf.Tensor2D; readonly y: tf.Tensor2D },
  opts: TeacherFitOptions,
): number {
  const n = data.x.shape[0];
  if (n === 0 || data.y.shape[0] !== n) {
    throw new InvalidArgumentError(
      `fitTeacher needs as many targets as inputs (at least one), got ${n} inputs and ${data.y.shape[0]} targets.`,
    );
  }
  if (!Number.isInteger(opts.epochs) || opts.epochs < 0) {
    throw new InvalidArgumentError(`teacherEpochs must be an integer >= 0, got ${opts.epochs}.`);
  }
  const batch = Math.min(n, opts.batchSize ?? 500);
  const vars = teacher.weights().map((w) => w.variable);
  const optimizer = tf.train.adam(opts.learningRate ?? 3e-3);
  try {
    for (let epoch = 0; epoch < opts.epochs; epoch++) {
      const order = opts.rng.permutation(n);
      for (let at = 0; at + batch <= n; at += batch) {
        tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(at, at + batch), "int32");
          const x = tf.gather(data.x, idx);
          const y = tf.gather(data.y, idx);
          optimizer.minimize(
            () => tf.losses.meanSquaredError(y, teacher.apply(x, { training: true })) as tf.Scalar,
            false,
            vars,
          );
        });
      }
    }
  } finally {
    optimizer.dispose();
  }
  return tf.tidy(
    () => tf.losses.meanSquaredError(data.y, teacher.apply(data.x)).dataSync()[0] as number,
  );
}
