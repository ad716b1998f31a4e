import type { BlockBasis } from "./block-basis.js";

/** Where solved leaf bases are kept between calls: in memory, on disk (Node), or both. */
export interface BasisCache {
  get(key: string): BlockBasis | undefined;
  set(key: string, basis: BlockBasis): void;
}

/** Bumped whenever the solver's output could change, so stale cache entries are never read. */
export const SOLVER_VERSION = 1;

/** An in-memory cache (the one browsers get). */
export class MemoryCache implements BasisCache {
  private readonly map = new Map<string, BlockBasis>();

  get(key: string): BlockBasis | undefined {
    return this.map.get(key);
  }

  set(key: string, basis: BlockBasis): void {
    this.map.set(key, basis);
  }

  get size(): number {
    return this.map.size;
  }

  clear(): void {
    this.map.clear();
  }
}

/** Memory in front of a slower cache: reads fill memory, writes go to both. */
export class TieredCache implements BasisCache {
  constructor(
    private readonly fast: BasisCache,
    private readonly slow: BasisCache,
  ) {}

  get(key: string): BlockBasis | undefined {
    const hit = this.fast.get(key);
    if (hit) return hit;
    const slow = this.slow.get(key);
    if (slow) this.fast.set(key, slow);
    return slow;
  }

  set(key: string, basis: BlockBasis): void {
    this.fast.set(key, basis);
    this.slow.set(key, basis);
  }
}

/** The process-wide default: memory only. The CLI puts a disk cache behind it. */
export const defaultCache = new MemoryCache();
