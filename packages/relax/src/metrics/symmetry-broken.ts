import { type Rep, rhoOperator } from "@isotropy/reps";
import type { Stabilizer } from "../stabilizer-group.js";

export interface SymmetryBrokenOptions {
  /** Relative tolerance: h breaks y when ||rho_out(h) y - y|| > tol * ||y|| (default 1e-4). */
  readonly tol?: number;
  /**
   * Absolute floor (default 1e-6): a displacement below it never counts, so outputs that are
   * zero up to float32 rounding (an exactly equivariant model at a symmetric input) are not
   * reported as broken however large their relative noise.
   */
  readonly atol?: number;
}

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/**
 * How far y = f(x) is from being fixed by Stab(x): the largest relative displacement
 * ||rho_out(h) y - y|| / ||y|| over the stabilizer's generators h, and ||drho_out(A) y|| / ||y||
 * over its Lie algebra basis A (0 for y = 0). An equivariant f always scores 0 (up to rounding).
 */
export function symmetryBreaking(y: ArrayLike<number>, stab: Stabilizer, repOut: Rep): number {
  const yv = Float64Array.from(y);
  const ny = norm(yv);
  if (ny === 0) return 0;
  let worst = 0;
  for (const h of stab.generators) {
    const hy = rhoOperator(repOut, h).matvec(yv);
    let s = 0;
    for (let i = 0; i < yv.length; i++) s += (hy[i]! - yv[i]!) ** 2;
    worst = Math.max(worst, Math.sqrt(s) / ny);
  }
  for (const a of stab.algebra.basis) worst = Math.max(worst, norm(repOut.drho(a).matvec(yv)) / ny);
  return worst;
}

/**
 * Whether f(x) is less symmetric than x: some element of Stab(x) moves y = f(x) by more than
 * tol * ||y||. Exactly equivariant models never break symmetry (Stab(x) <= Stab(f(x))).
 */
export function isSymmetryBroken(
  y: ArrayLike<number>,
  stab: Stabilizer,
  repOut: Rep,
  opts: SymmetryBrokenOptions = {},
): boolean {
  const relative = symmetryBreaking(y, stab, repOut);
  return relative > (opts.tol ?? 1e-4) && relative * norm(y) > (opts.atol ?? 1e-6);
}
