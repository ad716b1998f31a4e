import { LimitExceededError, type Rng } from "@isotropy/core";

// Permutations are Int32Arrays p of 0..n-1 in the convention of `Matrix.permutation(p)`:
// (P x)_i = x[p[i]]. As maps on points, i -> p[i] acting on the right, so that the matrix
// product P_a P_b is the permutation `permMul(a, b)`: first a, then b.

/** The identity permutation of n points. */
export function permIdentity(n: number): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  return p;
}

/** The permutation of the matrix product P_a P_b: i -> b[a[i]]. */
export function permMul(a: Int32Array, b: Int32Array): Int32Array {
  const n = a.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = b[a[i]!]!;
  return out;
}

/** The inverse permutation (of the transposed matrix). */
export function permInverse(a: Int32Array): Int32Array {
  const out = new Int32Array(a.length);
  for (let i = 0; i < a.length; i++) out[a[i]!] = i;
  return out;
}

export function isIdentityPerm(a: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== i) return false;
  return true;
}

/** A compact string key of a permutation (for hashing). */
export function permKey(a: Int32Array): string {
  let s = "";
  for (let i = 0; i < a.length; i += 4096) {
    s += String.fromCharCode(...a.subarray(i, Math.min(a.length, i + 4096)));
  }
  return s;
}

/** The permutation that is `p` on [offset, offset + p.length) of n points and fixes the rest. */
export function permEmbed(p: Int32Array, n: number, offset: number): Int32Array {
  const out = permIdentity(n);
  for (let i = 0; i < p.length; i++) out[offset + i] = offset + p[i]!;
  return out;
}

// The explicit transversals hold (sum of orbit sizes) x n entries; past this the chain refuses.
const MAX_CHAIN_ENTRIES = 1 << 26;

interface Level {
  readonly point: number;
  readonly gens: Int32Array[];
  /** beta -> u_beta with u_beta[point] = beta. */
  orbit: Map<number, Int32Array>;
}

/**
 * A base and strong generating set of a permutation group, by the deterministic Schreier-Sims
 * algorithm with explicit transversals. Gives the exact order, membership, and exactly uniform
 * random elements (a uniformly random coset representative at every level).
 */
export class StabilizerChain {
  readonly n: number;
  private readonly levels: Level[] = [];
  private entries = 0;

  constructor(n: number, generators: readonly Int32Array[]) {
    this.n = n;
    const gens: Int32Array[] = [];
    const seen = new Set<string>();
    for (const g of generators) {
      const k = permKey(g);
      if (isIdentityPerm(g) || seen.has(k)) continue;
      seen.add(k);
      gens.push(g);
    }
    for (const g of gens) {
      if (this.levels.every((l) => g[l.point] === l.point)) this.addLevel(movedPoint(g));
    }
    this.levels.forEach((level, l) => {
      for (const g of gens) {
        if (this.levels.slice(0, l).every((b) => g[b.point] === b.point)) level.gens.push(g);
      }
      this.recomputeOrbit(l);
    });
    let i = this.levels.length - 1;
    while (i >= 0) {
      const restart = this.completeLevel(i);
      i = restart < 0 ? i - 1 : restart;
    }
  }

  /** The base points, in order. */
  get base(): number[] {
    return this.levels.map((l) => l.point);
  }

  /** The basic orbit sizes; their product is the order. */
  get orbitSizes(): number[] {
    return this.levels.map((l) => l.orbit.size);
  }

  order(): bigint {
    return this.levels.reduce((acc, l) => acc * BigInt(l.orbit.size), 1n);
  }

  /** Whether `g` lies in the group. */
  contains(g: Int32Array): boolean {
    if (g.length !== this.n) return false;
    const { residue } = this.sift(g, 0);
    return isIdentityPerm(residue);
  }

  /** An exactly uniform random element. */
  random(rng: Rng): Int32Array {
    let g = permIdentity(this.n);
    for (let l = this.levels.length - 1; l >= 0; l--) {
      const reps = [...this.levels[l]!.orbit.values()];
      g = permMul(g, reps[rng.int(reps.length)]!);
    }
    return g;
  }

  private sift(g: Int32Array, from: number): { residue: Int32Array; level: number } {
    for (let l = from; l < this.levels.length; l++) {
      const level = this.levels[l]!;
      const u = level.orbit.get(g[level.point]!);
      if (!u) return { residue: g, level: l };
      g = permMul(g, permInverse(u));
    }
    return { residue: g, level: this.levels.length };
  }

  /** Checks the Schreier generators of level i; returns the level to restart at, or -1. */
  private completeLevel(i: number): number {
    const level = this.levels[i]!;
    for (const [beta, u] of level.orbit) {
      for (const s of level.gens) {
        const v = level.orbit.get(s[beta]!)!;
        const h = permMul(permMul(u, s), permInverse(v));
        if (isIdentityPerm(h)) continue;
        const { residue, level: j } = this.sift(h, i + 1);
        if (isIdentityPerm(residue)) continue;
        if (j === this.levels.length) this.addLevel(movedPoint(residue));
        for (let l = i + 1; l <= j; l++) {
          this.levels[l]!.gens.push(residue);
          this.recomputeOrbit(l);
        }
        return j;
      }
    }
    return -1;
  }

  private addLevel(point: number): void {
    this.levels.push({ point, gens: [], orbit: new Map([[point, permIdentity(this.n)]]) });
  }

  private recomputeOrbit(l: number): void {
    const level = this.levels[l]!;
    const orbit = new Map<number, Int32Array>([[level.point, permIdentity(this.n)]]);
    const queue = [level.point];
    for (let q = 0; q < queue.length; q++) {
      const beta = queue[q]!;
      const u = orbit.get(beta)!;
      for (const s of level.gens) {
        const img = s[beta]!;
        if (!orbit.has(img)) {
          orbit.set(img, permMul(u, s));
          queue.push(img);
        }
      }
    }
    this.entries += (orbit.size - level.orbit.size) * this.n;
    if (this.entries > MAX_CHAIN_ENTRIES) {
      throw new LimitExceededError(
        `The stabilizer chain of this permutation group on ${this.n} points needs more than ` +
          `${MAX_CHAIN_ENTRIES} stored entries; give the group a closed-form order() and sample() ` +
          `(groupFromGenerators options) instead of relying on Schreier-Sims.`,
      );
    }
    level.orbit = orbit;
  }
}

function movedPoint(g: Int32Array): number {
  for (let i = 0; i < g.length; i++) if (g[i] !== i) return i;
  return -1;
}
