import { InvalidArgumentError, type Rng } from "@isotropy/core";
import type { GenerateOptions, Split } from "./task.js";

/** emlp's protocol: one pool of 36,000 samples, from which train N, val 1,000, test 5,000. */
export const DEFAULT_POOL_SIZE = 36_000;
export const DEFAULT_N_VAL = 1_000;
export const DEFAULT_N_TEST = 5_000;
export const DEFAULT_SEED = 0;

/** Resolved and validated sizes of a pool and its splits. */
export interface SplitSizes {
  readonly nTrain: number;
  readonly nVal: number;
  readonly nTest: number;
  readonly poolSize: number;
}

/**
 * Fills in the defaults and validates: every size an integer, nTrain >= 1, nVal, nTest >= 0,
 * and nTrain + nVal + nTest <= poolSize (else `InvalidArgumentError` saying what to change).
 */
export function resolveSplitSizes(opts: GenerateOptions): SplitSizes {
  const nTrain = count("nTrain", opts.nTrain, 1);
  const nVal = count("nVal", opts.nVal ?? DEFAULT_N_VAL, 0);
  const nTest = count("nTest", opts.nTest ?? DEFAULT_N_TEST, 0);
  const poolSize = count("poolSize", opts.poolSize ?? DEFAULT_POOL_SIZE, 1);
  const total = nTrain + nVal + nTest;
  if (total > poolSize) {
    const room = poolSize - nVal - nTest;
    const lower =
      room >= 1
        ? `lower nTrain to at most ${fmt(room)}`
        : `lower nVal or nTest (together ${fmt(nVal + nTest)})`;
    throw new InvalidArgumentError(
      `nTrain + nVal + nTest = ${fmt(nTrain)} + ${fmt(nVal)} + ${fmt(nTest)} = ${fmt(total)} ` +
        `exceeds poolSize ${fmt(poolSize)}: ${lower}, or raise poolSize to at least ${fmt(total)}.`,
    );
  }
  return { nTrain, nVal, nTest, poolSize };
}

/** Validates a seed: a safe integer. */
export function resolveSeed(seed: number | undefined): number {
  const s = seed ?? DEFAULT_SEED;
  if (!Number.isSafeInteger(s)) {
    throw new InvalidArgumentError(`seed must be an integer, got ${s}.`);
  }
  return s;
}

/**
 * Splits a pool of `sizes.poolSize` samples: one seeded permutation of the pool, then its first
 * nTrain indices are the training split, the next nVal the validation split and the next nTest
 * the test split (emlp's `split_dataset` order). The rest of the pool is unused (but counted in
 * the standardization statistics). Training sets of the same seed are therefore nested: the
 * first 100 training samples of N = 1,000 are the training set of N = 100.
 */
export function splitPool(
  x: Float64Array,
  y: Float64Array,
  inputDim: number,
  outputDim: number,
  sizes: SplitSizes,
  rng: Rng,
): { train: Split; val: Split; test: Split } {
  const perm = rng.permutation(sizes.poolSize);
  const { nTrain, nVal, nTest } = sizes;
  return {
    train: takeRows(x, y, inputDim, outputDim, perm.subarray(0, nTrain)),
    val: takeRows(x, y, inputDim, outputDim, perm.subarray(nTrain, nTrain + nVal)),
    test: takeRows(x, y, inputDim, outputDim, perm.subarray(nTrain + nVal, nTrain + nVal + nTest)),
  };
}

/** The rows `ids` of a pool (x: pool x inputDim, y: pool x outputDim), as a float32 split. */
export function takeRows(
  x: Float64Array,
  y: Float64Array,
  inputDim: number,
  outputDim: number,
  ids: ArrayLike<number>,
): Split {
  const n = ids.length;
  const xs = new Float32Array(n * inputDim);
  const ys = new Float32Array(n * outputDim);
  for (let r = 0; r < n; r++) {
    const i = ids[r] as number;
    xs.set(x.subarray(i * inputDim, (i + 1) * inputDim), r * inputDim);
    ys.set(y.subarray(i * outputDim, (i + 1) * outputDim), r * outputDim);
  }
  return { x: xs, y: ys, n };
}

function count(name: string, v: number, min: number): number {
  if (!Number.isSafeInteger(v) || v < min) {
    throw new InvalidArgumentError(`${name} must be an integer >= ${min}, got ${v}.`);
  }
  return v;
}

function fmt(n: number): string {
  return n.toLocaleString("en-US");
}
