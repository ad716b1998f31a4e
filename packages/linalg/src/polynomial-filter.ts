import { Matrix } from "./matrix.js";

/** X -> p(M) X for a polynomial with p(0) = 1, so null vectors pass unchanged. */
export type BlockApply = (x: Matrix) => Matrix;

/**
 * The scaled Chebyshev filter of degree m (Zhou & Saad 2007): damps [a, b] by 1 / T_m(x0) with
 * x0 = (b + a) / (b - a), relative to the value 1 it keeps at 0, without overflow.
 */
export function chebyshevFilter(
  apply: BlockApply,
  x: Matrix,
  m: number,
  a: number,
  b: number,
): Matrix {
  const e = (b - a) / 2;
  const c = (b + a) / 2;
  let sigma = e / (0 - c);
  const sigma1 = sigma;
  const tau = 2 / sigma1;
  let prev = x;
  // y = (M x - c x) sigma1 / e
  let cur = combine(apply(x), x, sigma1 / e, (-c * sigma1) / e);
  for (let i = 2; i <= m; i++) {
    const sigma2 = 1 / (tau - sigma);
    const my = apply(cur);
    // next = 2 sigma2 / e (M y - c y) - sigma sigma2 prev
    const next = new Matrix(x.rows, x.cols);
    const f = (2 * sigma2) / e;
    const g = sigma * sigma2;
    const nd = next.data;
    const md = my.data;
    const cd = cur.data;
    const pd = prev.data;
    for (let k = 0; k < nd.length; k++) nd[k] = f * (md[k]! - c * cd[k]!) - g * pd[k]!;
    prev = cur;
    cur = next;
    sigma = sigma2;
  }
  return cur;
}

/** The damping 1 / T_m(x0) of a Chebyshev filter on [a, b] relative to 0. */
export function chebyshevDamping(m: number, a: number, b: number): number {
  const x0 = (b + a) / (b - a);
  return 1 / Math.cosh(m * Math.acosh(x0));
}

/** The degree that damps [a, b] by about `target` relative to 0, within [minDeg, maxDeg]. */
export function chebyshevDegree(
  a: number,
  b: number,
  target: number,
  minDeg: number,
  maxDeg: number,
): number {
  const x0 = (b + a) / (b - a);
  const m = Math.ceil(Math.acosh(1 / target) / Math.acosh(x0));
  return Math.min(maxDeg, Math.max(minDeg, Number.isFinite(m) ? m : maxDeg));
}

/**
 * prod_i (I - M / theta_i) X: zero at every root, 1 at 0. With the roots equal to the nonzero
 * eigenvalues of M this is the projector onto the null space. Roots are taken in Leja order
 * (each as far as possible from those before) to keep intermediate growth small.
 */
export function productFilter(apply: BlockApply, x: Matrix, roots: Float64Array): Matrix {
  let y = x;
  for (const theta of roots) y = combine(apply(y), y, -1 / theta, 1);
  return y;
}

/** Leja ordering of positive roots, starting from the largest. */
export function lejaOrder(roots: ArrayLike<number>): Float64Array {
  const left = Array.from(roots);
  const out: number[] = [];
  while (left.length > 0) {
    let best = 0;
    let bestScore = -Infinity;
    left.forEach((r, i) => {
      const score =
        out.length === 0 ? r : out.reduce((s, o) => s + Math.log(Math.abs(r - o) + 1e-300), 0);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    });
    out.push(left.splice(best, 1)[0]!);
  }
  return Float64Array.from(out);
}

/**
 * An estimate of how much the product filter leaves of the eigenvalues it should kill: each
 * true eigenvalue lies within `residual` of its root, where p changes by |p'(theta)| residual.
 */
export function productDamping(
  roots: Float64Array,
  residuals: Float64Array,
  upper: number,
): number {
  let worst = 0;
  roots.forEach((t, j) => {
    let d = 1 / t;
    roots.forEach((s, i) => {
      if (i !== j) d *= Math.abs(1 - t / s);
    });
    worst = Math.max(worst, d * (residuals[j]! + 16 * Number.EPSILON * upper));
  });
  return worst;
}

/** a * p + b * q entrywise. */
function combine(p: Matrix, q: Matrix, a: number, b: number): Matrix {
  const out = new Matrix(p.rows, p.cols);
  const o = out.data;
  const pd = p.data;
  const qd = q.data;
  for (let k = 0; k < o.length; k++) o[k] = a * pd[k]! + b * qd[k]!;
  return out;
}
