/** One split of a task's data, in original (unstandardized) units, row-major. */
export interface Split {
  /** n x inputDim inputs, row-major. */
  readonly x: Float32Array;
  /** n x outputDim targets, row-major. */
  readonly y: Float32Array;
  readonly n: number;
}

/**
 * Input and output scaling that keeps equivariance: inputs are only divided (never shifted) by
 * one scale per rep block, and outputs are shifted only on invariant (scalar) coordinates.
 * A model sees `x / inputScale` and predicts `(y - outputMean) / outputScale`.
 */
export interface Standardization {
  /** Per input coordinate: divide by this (one value per rep block, e.g. per vector). */
  readonly inputScale: Float32Array;
  /** Per output coordinate: subtracted before scaling; nonzero only on scalar outputs. */
  readonly outputMean: Float32Array;
  /** Per output coordinate: `(y - outputMean) / outputScale`. */
  readonly outputScale: Float32Array;
}

/** Everything `Task.generate` returns. */
export interface TaskData {
  readonly train: Split;
  readonly val: Split;
  readonly test: Split;
  /** Statistics of the whole pool (not only of the training split), as emlp computes them. */
  readonly standardization: Standardization;
  /** The seed the pool and the split were drawn with. */
  readonly seed: number;
  /** Which generator drew them (`GenerateOptions.pool`). */
  readonly pool: PoolSampler;
}

/**
 * How `generate` draws the pool and splits it. "isotropy": this library's `Rng`, the splits
 * taken in order train, val, test from one permutation (training sets of one seed nest).
 * "emlp": numpy's legacy `RandomState(seed)` and emlp's `split_dataset`, which replays the data
 * of emlp's published experiments bit for bit in the inputs (emlp's seed is 2021).
 */
export type PoolSampler = "isotropy" | "emlp";

/** Sizes and seed of `Task.generate`; see `README.md` for the split protocol. */
export interface GenerateOptions {
  /** Training samples (required). */
  readonly nTrain: number;
  /** Seed of the pool and of the shuffle; default 0. */
  readonly seed?: number;
  /** Validation samples; default 1,000. */
  readonly nVal?: number;
  /** Test samples; default 5,000. */
  readonly nTest?: number;
  /** Samples drawn in all (the standardization statistics come from all of them); default 36,000. */
  readonly poolSize?: number;
  /** The generator of the pool and the split; default "isotropy". */
  readonly pool?: PoolSampler;
}

/** A supervised task with a known symmetry: its group, its reps, its data and its target. */
export interface Task {
  /** Registry name, e.g. "o5-synthetic". */
  readonly name: string;
  readonly description: string;
  /** Default group, in the grammar of `parseGroup`: "O(5)", "O(3)", "O(1,3)". */
  readonly groupName: string;
  /** Input rep, in the grammar of `parseRep`, e.g. "5*Scalar + 5*V". */
  readonly repIn: string;
  /** Output rep, e.g. "T(2)". */
  readonly repOut: string;
  readonly inputDim: number;
  readonly outputDim: number;
  /**
   * Canonical names of the groups that fit the task's data (same base dimension, and a subgroup
   * of its symmetry), e.g. inertia: O(3), SO(3).
   */
  readonly compatibleGroups: readonly string[];
  /** Draws the seeded pool, splits it and computes the standardization statistics. */
  generate(opts: GenerateOptions): TaskData;
  /** The symmetric function itself: y = f(x) for a row-major batch of n inputs. */
  target(x: Float32Array | Float64Array, n: number): Float64Array;
}

/**
 * Where a task's inputs come from: i.i.d. normals, in row-major order. Both `Rng` and
 * `NumpyRandomState` are one.
 */
export interface NormalSource {
  /** `n` standard normals, times `scale`. */
  normals(n: number, scale?: number): Float64Array;
}
