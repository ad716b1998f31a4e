import { InvalidArgumentError, ShapeError } from "@isotropy/core";

/** An optimal assignment of a square cost matrix. */
export interface Assignment {
  /** `rowToCol[i]` is the column assigned to row i (a permutation). */
  readonly rowToCol: Int32Array;
  /** The sum of the assigned costs (the minimum). */
  readonly cost: number;
}

/**
 * Minimum-cost perfect matching of an n x n cost matrix (row-major) by the Hungarian method with
 * potentials (Kuhn–Munkres, shortest augmenting paths), O(n^3).
 */
export function hungarian(cost: ArrayLike<number>, n: number): Assignment {
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`hungarian: n must be a non-negative integer, got ${n}.`);
  }
  if (cost.length !== n * n) {
    throw new ShapeError(
      "hungarian: the cost matrix",
      `${n} x ${n} (${n * n} numbers)`,
      `${cost.length} numbers`,
    );
  }
  for (let i = 0; i < cost.length; i++) {
    if (!Number.isFinite(cost[i] as number)) {
      throw new InvalidArgumentError(`hungarian: cost entry ${i} is not finite.`);
    }
  }
  // 1-based arrays as in the classic formulation; p[j] = row matched to column j.
  const u = new Float64Array(n + 1);
  const v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1);
  const way = new Int32Array(n + 1);
  const minv = new Float64Array(n + 1);
  const used = new Uint8Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    minv.fill(Number.POSITIVE_INFINITY);
    used.fill(0);
    do {
      used[j0] = 1;
      const i0 = p[j0] as number;
      let delta = Number.POSITIVE_INFINITY;
      let j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = (cost[(i0 - 1) * n + (j - 1)] as number) - (u[i0] as number) - (v[j] as number);
        if (cur < (minv[j] as number)) {
          minv[j] = cur;
          way[j] = j0;
        }
        if ((minv[j] as number) < delta) {
          delta = minv[j] as number;
          j1 = j;
        }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) {
          u[p[j] as number] = (u[p[j] as number] as number) + delta;
          v[j] = (v[j] as number) - delta;
        } else {
          minv[j] = (minv[j] as number) - delta;
        }
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do {
      const j1 = way[j0] as number;
      p[j0] = p[j1] as number;
      j0 = j1;
    } while (j0 !== 0);
  }
  const rowToCol = new Int32Array(n);
  for (let j = 1; j <= n; j++) rowToCol[(p[j] as number) - 1] = j - 1;
  let total = 0;
  for (let i = 0; i < n; i++) total += cost[i * n + (rowToCol[i] as number)] as number;
  return { rowToCol, cost: total };
}
