import { InvalidArgumentError, Rng } from "@isotropy/core";
import { checkBatch, checkFinite } from "./checks.js";
import { emlpSplitIds } from "./emlp-split.js";
import { NumpyRandomState } from "./numpy-random-state.js";
import { resolveSeed, resolveSplitSizes, splitPool, takeRows } from "./pool.js";
import type { GenerateOptions, NormalSource, Standardization, Task, TaskData } from "./task.js";

/** What a task says; `defineTask` derives the checks, the pool and the splits. */
export interface TaskSpec {
  readonly name: string;
  readonly description: string;
  readonly groupName: string;
  readonly repIn: string;
  readonly repOut: string;
  readonly inputDim: number;
  readonly outputDim: number;
  readonly compatibleGroups: readonly string[];
  /**
   * n i.i.d. inputs (n x inputDim, row-major) as the model sees them (e.g. masses, not logits),
   * made from `source.normals`, drawn row by row as emlp's datasets draw them (`np.random.randn(n,
   * dim)`), so that `pool: "emlp"` replays emlp's numpy pool.
   */
  sampleInputs(source: NormalSource, n: number): Float64Array;
  /** Writes f(x) for n inputs into `out` (n x outputDim); `x` is already checked. */
  evaluate(x: ArrayLike<number>, n: number, out: Float64Array): void;
  /** The statistics of the whole pool (x and y in original units). */
  standardize(x: Float64Array, y: Float64Array, n: number): Standardization;
}

/**
 * A `Task` from its spec. `generate` draws the pool with `new Rng(seed).fork("inputs")`, rounds
 * the inputs to float32 (so that the stored x and y agree to float32 precision), evaluates the
 * target in float64, computes the standardization on the whole pool, and splits it with the
 * permutation of `new Rng(seed).fork("split")` (see `splitPool`). With `pool: "emlp"` it draws
 * the pool and the split as emlp's script does instead, from numpy's `RandomState(seed)` (see
 * `NumpyRandomState`, `emlpSplitIds`).
 */
export function defineTask(spec: TaskSpec): Task {
  const { inputDim, outputDim } = spec;
  const evaluateChecked = (x: ArrayLike<number>, n: number): Float64Array => {
    const out = new Float64Array(n * outputDim);
    spec.evaluate(x, n, out);
    return out;
  };
  return {
    name: spec.name,
    description: spec.description,
    groupName: spec.groupName,
    repIn: spec.repIn,
    repOut: spec.repOut,
    inputDim,
    outputDim,
    compatibleGroups: spec.compatibleGroups,
    generate(opts: GenerateOptions): TaskData {
      const sizes = resolveSplitSizes(opts);
      const seed = resolveSeed(opts.seed);
      const pool = opts.pool ?? "isotropy";
      if (pool !== "isotropy" && pool !== "emlp") {
        throw new InvalidArgumentError(`pool must be "isotropy" or "emlp", got ${String(pool)}.`);
      }
      const n = sizes.poolSize;
      const numpy = pool === "emlp" ? new NumpyRandomState(seed) : null;
      const root = new Rng(seed);
      const x = spec.sampleInputs(numpy ?? root.fork("inputs"), n);
      // emlp evaluates the target on the float64 inputs and casts them when it batches; ours
      // rounds first, so that the stored x and y agree.
      if (!numpy) for (let i = 0; i < x.length; i++) x[i] = Math.fround(x[i] as number);
      const y = evaluateChecked(x, n);
      checkFinite(y, `targets of ${spec.name}`, outputDim);
      const standardization = spec.standardize(x, y, n);
      let splits: Pick<TaskData, "train" | "val" | "test">;
      if (numpy) {
        const ids = emlpSplitIds(sizes, numpy);
        const take = (rows: Int32Array) => takeRows(x, y, inputDim, outputDim, rows);
        splits = { train: take(ids.train), val: take(ids.val), test: take(ids.test) };
      } else {
        splits = splitPool(x, y, inputDim, outputDim, sizes, root.fork("split"));
      }
      return { ...splits, standardization, seed, pool };
    },
    target(x: Float32Array | Float64Array, n: number): Float64Array {
      checkBatch(x, n, inputDim, `inputs of ${spec.name}`);
      return evaluateChecked(x, n);
    },
  };
}
