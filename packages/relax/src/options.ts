import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import type { Rep } from "@isotropy/reps";

/** Default relative tolerance: g fixes x when ||rho(g) x - x|| <= tol * ||x||. */
export const DEFAULT_TOLERANCE = 1e-6;
/** Default cap on enumerated group elements, orbit points and stabilizer elements. */
export const DEFAULT_LIMIT = 10_000;
/** Default cap on the nodes of one refinement-and-individualisation search tree. */
export const DEFAULT_NODE_LIMIT = 200_000;

/** Options shared by `stabilizer`, `canonicalize`, `orbit` and the orbit-type helpers. */
export interface SymmetryOptions {
  /** Relative tolerance in (0, 1): g fixes x when ||rho(g) x - x|| <= tol * ||x||. Default 1e-6. */
  tol?: number;
  /**
   * Most group elements to enumerate (finite groups without a faster method, orbits, the
   * subgroup filter of permutation groups other than S(n)). Default 10 000.
   */
  limit?: number;
  /** Most nodes of the refinement-and-individualisation search tree. Default 200 000. */
  nodeLimit?: number;
}

/** Options with defaults filled in and validated. */
export interface ResolvedOptions {
  readonly tol: number;
  readonly limit: number;
  readonly nodeLimit: number;
}

export function resolveOptions(opts: SymmetryOptions = {}): ResolvedOptions {
  const tol = opts.tol ?? DEFAULT_TOLERANCE;
  if (typeof tol !== "number" || !(tol > 0 && tol < 1)) {
    throw new InvalidArgumentError(
      `The stabilizer tolerance tol must lie in the open interval (0, 1), got ${String(tol)}.`,
    );
  }
  const limit = opts.limit ?? DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) {
    throw new InvalidArgumentError(`limit must be an integer >= 1, got ${String(limit)}.`);
  }
  const nodeLimit = opts.nodeLimit ?? DEFAULT_NODE_LIMIT;
  if (!Number.isInteger(nodeLimit) || nodeLimit < 1) {
    throw new InvalidArgumentError(`nodeLimit must be an integer >= 1, got ${String(nodeLimit)}.`);
  }
  return { tol, limit, nodeLimit };
}

/** Checks that `rep` is a representation of `group` and that `x` is a finite vector of its size. */
export function checkInput(group: Group, rep: Rep, x: ArrayLike<number>): Float64Array {
  if (rep.group.name !== group.name) {
    throw new InvalidArgumentError(
      `The representation ${rep.toString()} belongs to ${rep.group.name}, not to ${group.name}.`,
    );
  }
  if (x.length !== rep.size) {
    throw new ShapeError(
      `x for ${rep.toString()} of ${group.name}`,
      `[${rep.size}]`,
      `[${x.length}]`,
    );
  }
  const out = Float64Array.from(x);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i]!)) {
      throw new InvalidArgumentError(`x has a non-finite entry ${out[i]} at index ${i}.`);
    }
  }
  return out;
}

/** The Euclidean norm. */
export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** ||a - b|| (Euclidean). */
export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    s += d * d;
  }
  return Math.sqrt(s);
}

/**
 * The entry-wise resolution used wherever values are compared one by one (value classes,
 * lexicographic order): tol * ||x|| / sqrt(N), so that moving every entry within it changes x by
 * at most tol * ||x||.
 */
export function entryTolerance(x: ArrayLike<number>, tol: number): number {
  return x.length === 0 ? 0 : (tol * norm(x)) / Math.sqrt(x.length);
}
