import { LimitExceededError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import {
  dense,
  identity,
  inverse,
  kron,
  kronSum,
  type LinearOperator,
  linearCombination,
  Matrix,
  nullSpace,
  nullSpaceIterative,
  vstack,
} from "@isotropy/linalg";
import { type BlockBasis, DenseBasis, kronBasis } from "./block-basis.js";
import { brauerInvariants, brauerSpanningCount } from "./brauer.js";
import { type BasisCache, SOLVER_VERSION } from "./cache.js";
import { orbitalInvariants } from "./orbital.js";
import { factorGroup, type TensorFactor } from "./tensor-rep.js";

export type SolveMethod = "orbital" | "brauer" | "dense" | "iterative" | "cache" | "trivial";

export interface SolveOptions {
  cache?: BasisCache;
  /** Largest leaf problem (rows) solved densely; above it the iterative solver runs. */
  denseLimit?: number;
  /** Largest leaf problem solved numerically at all. */
  maxSize?: number;
  /** Largest index space the orbital method enumerates. */
  maxOrbitalSize?: number;
  /**
   * Use the closed forms (Brauer spanning sets) for the classical groups that declare an
   * invariant form. On by default; off forces the numerical solvers (to cross-check them).
   */
  closedForm?: boolean;
  /** Called once per leaf solve with how it was done. */
  onSolve?: (info: { key: string; method: SolveMethod; rows: number; dim: number }) => void;
}

export const DEFAULT_DENSE_LIMIT = 256;
export const DEFAULT_MAX_SIZE = 200_000;
export const DEFAULT_MAX_ORBITAL_SIZE = 20_000_000;
/** Largest Brauer spanning set the closed form orthonormalises. */
export const MAX_BRAUER_SPANNING = 3000;

/**
 * An orthonormal basis of the invariants of a tensor leaf V_{f1} ⊗ ... ⊗ V_{fk} (row index in the
 * leaf's Kronecker layout). Factors are sorted (by group factor, then dual last) so that every
 * permutation of the same factors shares one solve; a product group's invariants are the
 * Kronecker product of its factors' invariants.
 */
export function tensorInvariants(
  group: Group,
  factors: readonly TensorFactor[],
  opts: SolveOptions = {},
): BlockBasis {
  const order = factors
    .map((f, i) => ({ f, i }))
    .sort((a, b) => a.f.factor - b.f.factor || Number(a.f.dual) - Number(b.f.dual) || a.i - b.i);
  let basis: BlockBasis = new DenseBasis(Matrix.identity(1));
  let start = 0;
  while (start < order.length) {
    let end = start;
    while (end < order.length && order[end]!.f.factor === order[start]!.f.factor) end++;
    const g = factorGroup(group, order[start]!.f.factor);
    const duals = order.slice(start, end).map((o) => o.f.dual);
    basis = kronBasis(basis, simpleInvariants(g, duals, opts));
    start = end;
  }
  if (order.every((o, i) => o.i === i)) return basis;
  return basis.reindex(
    axisIndex(
      group,
      factors,
      order.map((o) => o.i),
    ),
  );
}

/** Invariants of V^{⊗k} with the given dual flags, for one (non-product) group. */
function simpleInvariants(g: Group, duals: readonly boolean[], opts: SolveOptions): BlockBasis {
  const k = duals.length;
  if (k === 0) return new DenseBasis(Matrix.identity(1));
  const rows = g.d ** k;
  const key = `inv|v${SOLVER_VERSION}|${groupKey(g)}|${duals.map((d) => (d ? "*" : "v")).join("")}${opts.closedForm === false ? "|numeric" : ""}`;
  const hit = opts.cache?.get(key);
  if (hit) {
    opts.onSolve?.({ key, method: "cache", rows, dim: hit.dim });
    return hit;
  }
  let basis: BlockBasis;
  let method: SolveMethod;
  if (g.isPermutation && g.permutationGenerators) {
    const limit = opts.maxOrbitalSize ?? DEFAULT_MAX_ORBITAL_SIZE;
    if (rows > limit) throw tooLarge(g, k, rows, limit, "maxOrbitalSize");
    basis = orbitalInvariants(g.permutationGenerators, g.d, k);
    method = "orbital";
  } else if (useClosedForm(g, k, rows, opts)) {
    basis = new DenseBasis(brauerInvariants(g.invariantForm!, duals));
    method = "brauer";
  } else {
    const limit = opts.maxSize ?? DEFAULT_MAX_SIZE;
    if (rows > limit) throw tooLarge(g, k, rows, limit, "maxSize");
    const c = constraints(g, duals);
    if (c === null) {
      basis = new DenseBasis(Matrix.identity(rows));
      method = "trivial";
    } else if (rows <= (opts.denseLimit ?? DEFAULT_DENSE_LIMIT)) {
      basis = new DenseBasis(nullSpace(c.toDense()));
      method = "dense";
    } else {
      basis = new DenseBasis(nullSpaceIterative(c));
      method = "iterative";
    }
  }
  opts.cache?.set(key, basis);
  opts.onSolve?.({ key, method, rows, dim: basis.dim });
  return basis;
}

function useClosedForm(g: Group, k: number, rows: number, opts: SolveOptions): boolean {
  const f = g.invariantForm;
  if (!f || opts.closedForm === false) return false;
  const count = brauerSpanningCount(g.d, k, f.special && f.kind === "orthogonal");
  return count <= Math.min(rows, MAX_BRAUER_SPANNING);
}

/** The stacked constraints rho(h) - I and drho(A) on V^{⊗k}, lazily; null if there are none. */
function constraints(g: Group, duals: readonly boolean[]): LinearOperator | null {
  const n = g.d ** duals.length;
  const ops: LinearOperator[] = [];
  for (const h of g.discreteGenerators) {
    const hd = inverse(h).transpose();
    const rho = kron(...duals.map((d) => dense(d ? hd : h)));
    ops.push(
      linearCombination([
        [1, rho],
        [-1, identity(n)],
      ]),
    );
  }
  for (const a of g.lieGenerators) {
    const ad = a.transpose().scale(-1);
    ops.push(kronSum(...duals.map((d) => dense(d ? ad : a))));
  }
  return ops.length === 0 ? null : vstack(...ops);
}

/**
 * Row map from the original axis order to the sorted one: new row i (original layout) is row
 * index[i] of the sorted basis. `sortedToOriginal[s]` is the original axis at sorted place s.
 */
function axisIndex(
  group: Group,
  factors: readonly TensorFactor[],
  sortedToOriginal: number[],
): Int32Array {
  const dims = factors.map((f) => factorGroup(group, f.factor).d);
  const k = dims.length;
  const n = dims.reduce((a, b) => a * b, 1);
  // stride in the sorted layout of each original axis
  const strideSorted = new Array<number>(k);
  let s = 1;
  for (let p = k - 1; p >= 0; p--) {
    strideSorted[sortedToOriginal[p]!] = s;
    s *= dims[sortedToOriginal[p]!]!;
  }
  const index = new Int32Array(n);
  const digit = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    let j = 0;
    for (let a = 0; a < k; a++) j += digit[a]! * strideSorted[a]!;
    index[i] = j;
    for (let a = k - 1; a >= 0; a--) {
      if (++digit[a]! < dims[a]!) break;
      digit[a] = 0;
    }
  }
  return index;
}

/** A cache key for a group: its name and a fingerprint of its generators. */
export function groupKey(g: Group): string {
  let h = 0x811c9dc5;
  for (const m of [...g.discreteGenerators, ...g.lieGenerators]) {
    for (const v of m.data) {
      const r = Math.round(v * 1e9);
      h = Math.imul(h ^ (r & 0xffff), 0x01000193);
      h = Math.imul(h ^ ((r >>> 16) & 0xffff), 0x01000193);
    }
    h = Math.imul(h ^ 0x2f, 0x01000193);
  }
  return `${g.name}#${(h >>> 0).toString(16)}`;
}

function tooLarge(
  g: Group,
  k: number,
  rows: number,
  limit: number,
  option: string,
): LimitExceededError {
  return new LimitExceededError(
    `Solving the invariants of a rank-${k} tensor of ${g.name} needs ${rows} unknowns, past the ` +
      `limit of ${limit}. Raise the \`${option}\` option if you have the memory and time.`,
  );
}
