import { rng as makeRng, type Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { inverse, Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator, scaleAdjustedError } from "@isotropy/reps";
import { indexActionOf } from "../index-action.js";
import { DEFAULT_LIMIT, type SymmetryOptions } from "../options.js";
import { stabilizer } from "../stabilizer.js";
import type { Stabilizer } from "../stabilizer-group.js";
import { minCostAssignment } from "./assignment.js";
import { evaluate, type ModelLike } from "./evaluate.js";

/** Default stabilizer tolerance of the metrics: inputs are float32 data. */
export const METRIC_TOLERANCE = 1e-5;

export interface RelaxedEquivarianceOptions extends SymmetryOptions {
  /**
   * Largest finite stabilizer minimised over by enumeration (default 5040); past it, permutation
   * stabilizers with per-point outputs are matched instead.
   */
  readonly enumerationLimit?: number;
  /** Random stabilizer elements tried when the stabilizer is not finite (default 256). */
  readonly samples?: number;
  readonly rng?: Rng;
}

/** How the minimum over Stab(x) was taken. */
export type RelaxedMethod =
  /** Trivial stabilizer: plain equivariance error. */
  | "trivial"
  /** Every element of a finite stabilizer. */
  | "enumeration"
  /**
   * Permutation stabilizers with per-point outputs (tensor order <= 1): the best assignment of
   * output rows within each orbit of Stab(x) (Hungarian algorithm). Exact when Stab(x) is the
   * product of the symmetric groups on its orbits (colour classes), otherwise a lower bound.
   */
  | "matching"
  /** Lie stabilizers: identity, generators and random elements (an upper bound). */
  | "sampled";

export interface RelaxedEquivariance {
  /** min over h in Stab(x) of the scale-adjusted ||f(g x) - rho_out(g h) f(x)||. */
  readonly error: number;
  readonly method: RelaxedMethod;
  /** Whether `error` is the exact minimum (else a bound, see `RelaxedMethod`). */
  readonly exact: boolean;
  /** The minimising h (null for "matching", where it need not lie in Stab(x)). */
  readonly h: Matrix | null;
  readonly stabilizer: Stabilizer;
}

function inv(group: Group, g: Matrix): Matrix {
  return group.isOrthogonal ? g.transpose() : inverse(g);
}

/**
 * The relaxed equivariance error of f at x for one g (Kaba & Ravanbakhsh 2023):
 * min over h in Stab(x) of the scale-adjusted ||f(g x) - rho_out(g h) f(x)||, zero exactly when
 * f(g x) = rho_out(g h) f(x) for some h fixing x. See `RelaxedMethod` for how the minimum is taken.
 */
export function relaxedEquivariance(
  f: ModelLike,
  group: Group,
  repIn: Rep,
  repOut: Rep,
  x: ArrayLike<number>,
  g: Matrix,
  opts: RelaxedEquivarianceOptions = {},
): RelaxedEquivariance {
  const xv = Float64Array.from(x);
  const stab = stabilizer(group, repIn, xv, {
    ...opts,
    tol: opts.tol ?? METRIC_TOLERANCE,
  });
  const fx = evaluate(f, xv);
  const fgx = evaluate(f, rhoOperator(repIn, g).matvec(xv));
  const errorWith = (h: Matrix) => {
    const gh = g.mul(h);
    return scaleAdjustedError(fgx, rhoOperator(repOut, gh).matvec(fx), gh);
  };
  if (stab.isTrivial) {
    return {
      error: errorWith(Matrix.identity(group.d)),
      method: "trivial",
      exact: true,
      h: Matrix.identity(group.d),
      stabilizer: stab,
    };
  }
  const limit = opts.enumerationLimit ?? 5040;
  const best = (candidates: Iterable<Matrix>) => {
    let error = Number.POSITIVE_INFINITY;
    let arg: Matrix | null = null;
    for (const h of candidates) {
      const e = errorWith(h);
      if (e < error) {
        error = e;
        arg = h;
      }
    }
    return { error, h: arg };
  };
  if (stab.isFinite && stab.order! <= BigInt(limit)) {
    const r = best(stab.elements(Math.max(limit, DEFAULT_LIMIT)));
    return { ...r, method: "enumeration", exact: true, stabilizer: stab };
  }
  const action = stab.permutations && stab.orbits ? indexActionOf(group, repOut) : null;
  if (action && action.maxOrder <= 1 && stab.isFinite) {
    const y = rhoOperator(repOut, inv(group, g)).matvec(fgx);
    const z = Float64Array.from(fx);
    const vectors = action.blocks.filter((b) => b.order === 1).map((b) => b.positions);
    for (const orbit of stab.orbits!) {
      const m = orbit.length;
      if (m === 1) continue;
      const cost = new Float64Array(m * m);
      for (let a = 0; a < m; a++) {
        for (let b = 0; b < m; b++) {
          let c = 0;
          for (const pos of vectors) c += (y[pos[orbit[a]!]!]! - fx[pos[orbit[b]!]!]!) ** 2;
          cost[a * m + b] = c;
        }
      }
      const { match } = minCostAssignment(cost, m);
      for (let a = 0; a < m; a++) {
        for (const pos of vectors) z[pos[orbit[a]!]!] = fx[pos[orbit[match[a]!]!]!]!;
      }
    }
    const error = scaleAdjustedError(fgx, rhoOperator(repOut, g).matvec(z), g);
    return {
      error,
      method: "matching",
      exact: stab.method === "colour-classes",
      h: null,
      stabilizer: stab,
    };
  }
  const rng = opts.rng ?? makeRng(0);
  const samples = opts.samples ?? 256;
  const candidates = [Matrix.identity(group.d), ...stab.generators];
  for (let i = 0; i < samples; i++) candidates.push(stab.sample(rng));
  return { ...best(candidates), method: "sampled", exact: false, stabilizer: stab };
}

/** The number `relaxedEquivariance(...).error`. */
export function relaxedEquivarianceError(
  f: ModelLike,
  group: Group,
  repIn: Rep,
  repOut: Rep,
  x: ArrayLike<number>,
  g: Matrix,
  opts: RelaxedEquivarianceOptions = {},
): number {
  return relaxedEquivariance(f, group, repIn, repOut, x, g, opts).error;
}

/**
 * The mean relaxed equivariance error over a data set, one sampled g per input (the relaxed
 * counterpart of `equivarianceError`).
 */
export function meanRelaxedEquivarianceError(
  f: ModelLike,
  group: Group,
  repIn: Rep,
  repOut: Rep,
  data: { readonly x: Float32Array; readonly n: number },
  rng: Rng,
  opts: RelaxedEquivarianceOptions & { readonly samplesPerSet?: number } = {},
): number {
  const nIn = repIn.size;
  const n = Math.min(opts.samplesPerSet ?? data.n, data.n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const x = data.x.subarray(i * nIn, (i + 1) * nIn);
    total += relaxedEquivarianceError(f, group, repIn, repOut, x, group.sample(rng), {
      ...opts,
      rng,
    });
  }
  return total / Math.max(1, n);
}
