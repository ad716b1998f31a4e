import { InvalidArgumentError, LimitExceededError, ShapeError } from "@isotropy/core";

/** Largest n the exhaustive searches accept (2^(n-1) states). */
export const MAX_EXHAUSTIVE_N = 24;

/** The minimum of a spin quadratic form and one spin configuration that reaches it. */
export interface SpinMinimum {
  /** min over s in {-1, 1}^n of sum_{i<j} W_ij s_i s_j (+ the constant, if any). */
  readonly value: number;
  /** One minimiser (its global flip -s is another); the last spin is +1. */
  readonly spins: Int8Array;
}

function checkSquare(w: ArrayLike<number>, n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`${what}: n must be a positive integer, got ${n}.`);
  }
  if (w.length !== n * n) {
    throw new ShapeError(
      `${what}: the matrix`,
      `${n} x ${n} (${n * n} numbers)`,
      `${w.length} numbers`,
    );
  }
}

/**
 * Exhaustive minimum of E(s) = sum_{i<j} W_ij s_i s_j over s in {-1, 1}^n (W symmetric, its
 * diagonal ignored) by a Gray-code walk: the last spin is fixed to +1 (E is invariant under the
 * global flip), each step flips one spin and updates the local fields in O(n), so the search costs
 * O(n 2^(n-1)). Max-cut is `cut = (sum_{i<j} A_ij - min sum A_ij s_i s_j) / 2`; the Ising ground
 * state is the minimum with W = -J.
 */
export function minimizeSpinForm(w: ArrayLike<number>, n: number): SpinMinimum {
  checkSquare(w, n, "minimizeSpinForm");
  if (n > MAX_EXHAUSTIVE_N) {
    throw new LimitExceededError(
      `minimizeSpinForm: exhaustive search over 2^${n - 1} states is limited to n <= ${MAX_EXHAUSTIVE_N}.`,
    );
  }
  const s = new Int8Array(n).fill(1);
  // h_i = sum_{j != i} W_ij s_j; E = 1/2 sum_i s_i h_i.
  const h = new Float64Array(n);
  let energy = 0;
  for (let i = 0; i < n; i++) {
    let hi = 0;
    for (let j = 0; j < n; j++) if (j !== i) hi += w[i * n + j] as number;
    h[i] = hi;
    energy += hi / 2;
  }
  let best = energy;
  const bestSpins = Int8Array.from(s);
  const free = n - 1;
  const steps = 2 ** free;
  for (let t = 1; t < steps; t++) {
    // The Gray code flips the bit of the lowest set bit of t.
    let v = 0;
    while (((t >> v) & 1) === 0) v++;
    const sv = s[v] as number;
    // Flipping s_v changes E by -2 s_v h_v.
    energy -= 2 * sv * (h[v] as number);
    s[v] = -sv as -1 | 1;
    for (let j = 0; j < n; j++) {
      if (j !== v) h[j] = (h[j] as number) - 2 * sv * (w[j * n + v] as number);
    }
    if (energy < best - 1e-12) {
      best = energy;
      bestSpins.set(s);
    }
  }
  return { value: best, spins: bestSpins };
}

/**
 * The minimum of sum_{i<j} W_ij s_i s_j over spins constant on each of the given orbits (a
 * partition of 0..n-1): the best an output fixed by a permutation group with these orbits can
 * reach. Solved exhaustively on the quotient form.
 */
export function minimizeOrbitConstant(
  w: ArrayLike<number>,
  n: number,
  orbits: readonly (readonly number[])[],
): SpinMinimum {
  checkSquare(w, n, "minimizeOrbitConstant");
  const m = orbits.length;
  const orbitOf = new Int32Array(n).fill(-1);
  orbits.forEach((orbit, a) => {
    for (const i of orbit) {
      if (!(i >= 0 && i < n) || orbitOf[i] !== -1) {
        throw new InvalidArgumentError("minimizeOrbitConstant: orbits must partition 0..n-1.");
      }
      orbitOf[i] = a;
    }
  });
  if (orbitOf.includes(-1)) {
    throw new InvalidArgumentError("minimizeOrbitConstant: orbits must partition 0..n-1.");
  }
  // sum_{i<j} W_ij t_{o(i)} t_{o(j)} = constant (pairs inside one orbit) + sum_{a<b} Q_ab t_a t_b.
  const q = new Float64Array(m * m);
  let constant = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const a = orbitOf[i] as number;
      const b = orbitOf[j] as number;
      const wij = w[i * n + j] as number;
      if (a === b) constant += wij;
      else {
        q[a * m + b] = (q[a * m + b] as number) + wij;
        q[b * m + a] = (q[b * m + a] as number) + wij;
      }
    }
  }
  const quotient = minimizeSpinForm(q, m);
  const spins = new Int8Array(n);
  for (let i = 0; i < n; i++) spins[i] = quotient.spins[orbitOf[i] as number] as number;
  return { value: constant + quotient.value, spins };
}

/** sum_{i<j} W_ij s_i s_j for one spin configuration. */
export function spinForm(w: ArrayLike<number>, n: number, s: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++)
      e += (w[i * n + j] as number) * (s[i] as number) * (s[j] as number);
  }
  return e;
}
