import type { NumpyRandomState } from "./numpy-random-state.js";
import type { SplitSizes } from "./pool.js";

/** Pool row indices of each split. */
export interface SplitIds {
  readonly train: Int32Array;
  readonly val: Int32Array;
  readonly test: Int32Array;
}

/**
 * The split of emlp's data-efficiency script, continuing the numpy stream that drew the pool.
 * emlp calls olive-oil-ml's `split_dataset(pool, {train: N, test: 5000, val: 1000})`, which takes
 * the splits largest first (ties in that order: train, test, val) and cuts each from the rows
 * still left with scikit-learn's `train_test_split`: one `permutation` of the rows left, whose
 * first `count` become the split, and the rest, in permuted order, stay for the next one.
 */
export function emlpSplitIds(sizes: SplitSizes, numpy: NumpyRandomState): SplitIds {
  const order = (
    [
      ["train", sizes.nTrain],
      ["test", sizes.nTest],
      ["val", sizes.nVal],
    ] as const
  )
    .map((e, i) => ({ name: e[0], count: e[1], i }))
    .sort((a, b) => b.count - a.count || a.i - b.i);
  let left = Int32Array.from({ length: sizes.poolSize }, (_, i) => i);
  const ids: Record<string, Int32Array> = {};
  for (const { name, count } of order) {
    if (count === left.length) {
      // oil's split_dataset takes all that is left, without drawing.
      ids[name] = left;
      left = new Int32Array(0);
      continue;
    }
    const perm = numpy.permutation(left.length);
    const rows = new Int32Array(left.length);
    for (let k = 0; k < left.length; k++) rows[k] = left[perm[k] as number] as number;
    ids[name] = rows.slice(0, count);
    left = rows.slice(count);
  }
  return {
    train: ids.train as Int32Array,
    val: ids.val as Int32Array,
    test: ids.test as Int32Array,
  };
}
