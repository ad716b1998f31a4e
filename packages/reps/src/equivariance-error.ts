import type { Rng } from "@isotropy/core";
import type { Matrix } from "@isotropy/linalg";
import type { EquivariantBasis } from "./equivariant-basis.js";
import type { Rep } from "./rep.js";
import { rhoOperator } from "./rho-operator.js";

/**
 * emlp's scale-adjusted relative error between two arrays that should agree under g:
 * rms(a - b) / max(rms(a) + rms(b), rms(g - I)), so that a tiny g or a tiny output cannot
 * inflate the ratio.
 */
export function scaleAdjustedError(a: ArrayLike<number>, b: ArrayLike<number>, g: Matrix): number {
  let diff = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    diff += (a[i]! - b[i]!) ** 2;
    na += a[i]! ** 2;
    nb += b[i]! ** 2;
  }
  const n = Math.max(1, a.length);
  let gs = 0;
  for (let i = 0; i < g.rows; i++) {
    for (let j = 0; j < g.cols; j++) gs += (g.get(i, j) - (i === j ? 1 : 0)) ** 2;
  }
  const scale = Math.max(Math.sqrt(na / n) + Math.sqrt(nb / n), Math.sqrt(gs / (g.rows * g.cols)));
  return Math.sqrt(diff / n) / Math.max(scale, 1e-7);
}

/** || rho_out(g) W - W rho_in(g) ||, scale-adjusted, for a map W (repOut.size x repIn.size). */
export function mapEquivarianceError(w: Matrix, repIn: Rep, repOut: Rep, g: Matrix): number {
  const ro = rhoOperator(repOut, g);
  const ri = rhoOperator(repIn, g);
  const left = new Float64Array(w.rows * w.cols);
  const right = new Float64Array(w.rows * w.cols);
  for (let j = 0; j < w.cols; j++) {
    const col = ro.matvec(w.column(j));
    for (let i = 0; i < w.rows; i++) left[i * w.cols + j] = col[i]!;
  }
  for (let i = 0; i < w.rows; i++) right.set(ri.rmatvec(w.row(i)), i * w.cols);
  return scaleAdjustedError(left, right, g);
}

/**
 * The largest scale-adjusted error of random combinations of the basis under sampled group
 * elements (the number the CLI reports as `equivarianceError`).
 */
export function basisEquivarianceError(basis: EquivariantBasis, rng: Rng, samples = 3): number {
  let worst = 0;
  if (basis.dim === 0) return 0;
  for (let s = 0; s < samples; s++) {
    const g = basis.repIn.group.sample(rng);
    const w = basis.weight(rng.normals(basis.dim));
    worst = Math.max(worst, mapEquivarianceError(w, basis.repIn, basis.repOut, g));
  }
  return worst;
}
