import { Rng } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { hungarian } from "./assignment.js";
import type {
  BreakingData,
  BreakingGenerateOptions,
  Predictions,
  SymmetryBreakingTask,
} from "./types.js";
import { checkCount, gatherRows, predictionArray, resolveRows, summarize } from "./util.js";

/** Parameters of `setDecoding`. */
export interface SetDecodingOptions {
  /** Points per set (>= 2); default 8. */
  readonly points?: number;
}

/** Data of `set-decoding`: point sets (the input is also the target, up to order). */
export type SetDecodingData = BreakingData;

/**
 * The permutation-invariant reconstruction error of one set: min over permutations pi of
 * (1 / 2n) sum_j ||p_pi(j) - x_j||^2, by optimal matching; `assignment[j]` is the predicted point
 * matched to target point j. Layout coordinate-major: point j at (v[j], v[n + j]).
 */
export function matchingError(
  pred: ArrayLike<number>,
  target: ArrayLike<number>,
  n: number,
): { error: number; assignment: Int32Array } {
  const cost = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      const dx = (pred[i] as number) - (target[j] as number);
      const dy = (pred[n + i] as number) - (target[n + j] as number);
      cost[j * n + i] = dx * dx + dy * dy;
    }
  }
  const m = hungarian(cost, n);
  return { error: m.cost / (2 * n), assignment: m.rowToCol };
}

/**
 * The least matching error of a decoder that is exactly S(n)-equivariant on n identical copies of a
 * code: it outputs n identical points c, and the best c (the centroid) leaves the spread
 * (1 / 2n) sum_j ||x_j - mean||^2.
 */
export function setSpread(x: ArrayLike<number>, n: number): number {
  let e = 0;
  for (let i = 0; i < 2; i++) {
    let m = 0;
    for (let j = 0; j < n; j++) m += x[i * n + j] as number;
    m /= n;
    for (let j = 0; j < n; j++) e += ((x[i * n + j] as number) - m) ** 2;
  }
  return e / (2 * n);
}

/** The decoder's input for a batch of codes (B x c): each code copied n times, B x n x c. */
export function identicalCopies(codes: tf.Tensor2D, n: number): tf.Tensor3D {
  return tf.tile(tf.expandDims(codes, 1), [1, n, 1]) as tf.Tensor3D;
}

/**
 * `set-decoding`: an autoencoder for sets of n points in the plane under S(n) (rep `2*V`,
 * coordinate-major: the n x-coordinates, then the n y-coordinates). The decoder starts from n
 * identical copies of an invariant code (stabilizer S(n)) and must return n distinct points.
 * Loss and metric: the optimal-matching MSE.
 */
export function setDecoding(opts: SetDecodingOptions = {}): SymmetryBreakingTask<SetDecodingData> {
  const name = "set-decoding";
  const points = checkCount(opts.points ?? 8, "set-decoding: points", 2);
  const dim = 2 * points;
  return {
    name,
    description: `Autoencode sets of ${points} points in the plane; the decoder starts from identical copies of the code.`,
    group: `S(${points})`,
    repIn: "2*V",
    repOut: "2*V",
    inputDim: dim,
    outputDim: dim,
    supervised: true,
    generate(g: BreakingGenerateOptions): SetDecodingData {
      const n = checkCount(g.n, "set-decoding: n");
      const seed = g.seed ?? 0;
      const rng = new Rng(seed).fork(name);
      const x = new Float32Array(n * dim);
      for (let i = 0; i < x.length; i++) x[i] = rng.normal();
      const equivariantBound = new Float64Array(n);
      for (let b = 0; b < n; b++)
        equivariantBound[b] = setSpread(x.subarray(b * dim, (b + 1) * dim), points);
      return { n, x, seed, symmetric: new Uint8Array(n).fill(1), equivariantBound };
    },
    loss(pred: tf.Tensor2D, data: SetDecodingData, rows?: ArrayLike<number>): tf.Scalar {
      const r = resolveRows(pred, data, dim, name, rows);
      const p = pred.dataSync();
      const targets = gatherRows(data.x, dim, r);
      // Reorder each target by the optimal matching (a constant): the gradient of the matched MSE
      // is the gradient of the minimum (Danskin), almost everywhere.
      const matched = new Float32Array(targets.length);
      for (let b = 0; b < r.length; b++) {
        const t = targets.subarray(b * dim, (b + 1) * dim);
        const { assignment } = matchingError(p.subarray(b * dim, (b + 1) * dim), t, points);
        for (let j = 0; j < points; j++) {
          const i = assignment[j] as number;
          matched[b * dim + i] = t[j] as number;
          matched[b * dim + points + i] = t[points + j] as number;
        }
      }
      return tf.tidy(
        () => tf.mean(tf.square(tf.sub(pred, tf.tensor2d(matched, [r.length, dim])))) as tf.Scalar,
      );
    },
    metric(pred: Predictions, data: SetDecodingData) {
      const p = predictionArray(pred, data.n, dim, name);
      const per = new Float64Array(data.n);
      for (let b = 0; b < data.n; b++) {
        per[b] = matchingError(
          p.subarray(b * dim, (b + 1) * dim),
          data.x.subarray(b * dim, (b + 1) * dim),
          points,
        ).error;
      }
      return summarize("matching MSE", false, per, data);
    },
  };
}
