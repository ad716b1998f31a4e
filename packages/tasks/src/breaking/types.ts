import type * as tf from "@tensorflow/tfjs-core";

/** Sizes and seed of `SymmetryBreakingTask.generate`. */
export interface BreakingGenerateOptions {
  /** Number of instances (required, positive integer). */
  readonly n: number;
  /** Seed of the instances; default 0. */
  readonly seed?: number;
}

/** What every symmetry-breaking data set holds; tasks add their own fields. */
export interface BreakingData {
  /** Number of instances. */
  readonly n: number;
  /** n x inputDim inputs, row-major, in the task's rep layout. */
  readonly x: Float32Array;
  readonly seed: number;
  /** 1 where the input's stabilizer forces an exactly equivariant model to miss the target. */
  readonly symmetric: Uint8Array;
  /**
   * Per instance: the best value of `metric` an exactly equivariant model can reach (the
   * stabilizer argument: f(x) is fixed by Stab(x)). See `BREAKING.md`.
   */
  readonly equivariantBound: Float64Array;
}

/** The value of a task's metric on a data set. */
export interface BreakingMetric {
  /** What is measured, e.g. "orbit-aware MSE" or "cut / optimum". */
  readonly name: string;
  readonly higherIsBetter: boolean;
  /** Mean over instances. */
  readonly value: number;
  readonly perInstance: Float64Array;
  /** Mean of `equivariantBound` over the same instances. */
  readonly equivariantBound: number;
  /** Mean over the symmetric instances only (NaN when there are none). */
  readonly symmetricValue: number;
  /** Mean over the other instances (NaN when there are none). */
  readonly genericValue: number;
}

/** Predictions: a tensor or a row-major n x outputDim array. */
export type Predictions = tf.Tensor2D | ArrayLike<number>;

/**
 * A task where symmetry must break at the level of each sample: at inputs with a nontrivial
 * stabilizer the target (or the optimum) is less symmetric than the input, so no exactly
 * equivariant model can reach it.
 */
export interface SymmetryBreakingTask<D extends BreakingData = BreakingData> {
  /** Registry name, e.g. "polygon-deform". */
  readonly name: string;
  readonly description: string;
  /** The group, e.g. "O(2)xS(6)" or "S(10)". */
  readonly group: string;
  /** Input rep in the grammar of `parseRep`, e.g. "V[0]*V[1]" or "T(2)". */
  readonly repIn: string;
  readonly repOut: string;
  readonly inputDim: number;
  readonly outputDim: number;
  /** Whether the data hold targets (polygon-deform, set-decoding) or only inputs (max-cut, ising). */
  readonly supervised: boolean;
  /** Seeded instances with their references and equivariant bounds. */
  generate(opts: BreakingGenerateOptions): D;
  /**
   * Differentiable training loss (a scalar, mean over the rows). `pred` is rows x outputDim;
   * `rows` says which instances of `data` its rows are (default: all, in order).
   */
  loss(pred: tf.Tensor2D, data: D, rows?: ArrayLike<number>): tf.Scalar;
  /** The task's own evaluation of n x outputDim predictions for all instances of `data`. */
  metric(pred: Predictions, data: D): BreakingMetric;
}
