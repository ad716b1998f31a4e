/** Integer class codes of nearly equal values, and one representative value per class. */
export interface ValueClasses {
  /** codes[i] is the class of values[i]; classes are numbered by increasing value. */
  readonly codes: Int32Array;
  /** The smallest value of each class. */
  readonly representatives: Float64Array;
}

/**
 * Classes of nearly equal values: the values are sorted and a new class starts whenever a value
 * exceeds the smallest value of the current class by more than `eps`. Every class is thus at most
 * `eps` wide, and the codes depend only on the multiset of values, so any permutation of the
 * entries gets the same classes (the partition-backtracking search relies on exactly that).
 */
export function valueClasses(values: ArrayLike<number>, eps: number): ValueClasses {
  const n = values.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const sorted = Array.from(order).sort((a, b) => values[a]! - values[b]!);
  const codes = new Int32Array(n);
  const reps: number[] = [];
  let start = Number.NEGATIVE_INFINITY;
  for (const i of sorted) {
    const v = values[i]!;
    if (reps.length === 0 || v - start > eps) {
      start = v;
      reps.push(v);
    }
    codes[i] = reps.length - 1;
  }
  return { codes, representatives: Float64Array.from(reps) };
}

/**
 * Canonical integer codes of tuples: equal tuples get equal codes, and codes follow the
 * lexicographic order of the tuples (so they are invariant under any relabelling that keeps the
 * multiset of tuples). `tuples` is flat, `width` entries per tuple.
 */
export function tupleCodes(
  tuples: Int32Array,
  width: number,
): { codes: Int32Array; count: number } {
  const m = width === 0 ? 0 : tuples.length / width;
  const idx = Array.from({ length: m }, (_, i) => i);
  const cmp = (a: number, b: number) => {
    for (let k = 0; k < width; k++) {
      const d = tuples[a * width + k]! - tuples[b * width + k]!;
      if (d !== 0) return d;
    }
    return 0;
  };
  idx.sort(cmp);
  const codes = new Int32Array(m);
  let count = 0;
  for (let r = 0; r < m; r++) {
    if (r > 0 && cmp(idx[r - 1]!, idx[r]!) !== 0) count++;
    codes[idx[r]!] = count;
  }
  return { codes, count: m === 0 ? 0 : count + 1 };
}
