import type { Rng } from "@isotropy/core";
import { isIdentityPerm, permIdentity, permInverse, permMul } from "@isotropy/groups";

interface Level {
  readonly point: number;
  /** beta -> u with u[point] = beta. */
  readonly orbit: Map<number, Int32Array>;
}

/**
 * A permutation group from a known base and strong generating set: the base is the first path
 * of the canonical-labelling search and its automorphisms are strong generators relative to it
 * (those fixing the first i base points generate the pointwise stabilizer of those points), so
 * no Schreier-Sims is needed. Gives the exact order, membership and uniform random elements.
 */
export class BaseChain {
  private readonly levels: Level[];

  constructor(
    readonly n: number,
    base: readonly number[],
    generators: readonly Int32Array[],
  ) {
    this.levels = base.map((point, i) => {
      const fixing = generators.filter((g) => base.slice(0, i).every((b) => g[b] === b));
      const orbit = new Map<number, Int32Array>([[point, permIdentity(n)]]);
      const queue = [point];
      for (let q = 0; q < queue.length; q++) {
        const beta = queue[q]!;
        const u = orbit.get(beta)!;
        for (const s of fixing) {
          const img = s[beta]!;
          if (!orbit.has(img)) {
            orbit.set(img, permMul(u, s));
            queue.push(img);
          }
        }
      }
      return { point, orbit };
    });
  }

  /** The basic orbit sizes; their product is the order. */
  get orbitSizes(): number[] {
    return this.levels.map((l) => l.orbit.size);
  }

  order(): bigint {
    return this.levels.reduce((acc, l) => acc * BigInt(l.orbit.size), 1n);
  }

  contains(g: Int32Array): boolean {
    if (g.length !== this.n) return false;
    for (const level of this.levels) {
      const u = level.orbit.get(g[level.point]!);
      if (!u) return false;
      g = permMul(g, permInverse(u));
    }
    return isIdentityPerm(g);
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
}
