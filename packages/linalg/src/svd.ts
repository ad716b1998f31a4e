import { ConvergenceError, InvalidArgumentError } from "@isotropy/core";
import { Matrix } from "./matrix.js";
import { qr } from "./qr.js";

const MAX_SWEEPS = 60;

/**
 * Thin singular value decomposition a = u diag(s) v^T: u (m x p) and v (n x p) with orthonormal
 * columns, s (length p = min(m, n)) descending and non-negative.
 *
 * One-sided Jacobi (Hestenes) on the triangular factor of a QR decomposition: slower than
 * bidiagonalisation but accurate to rounding relative to each singular value, which is what a
 * rank decision needs. Columns of u for (numerically) zero singular values are completed to an
 * orthonormal set.
 */
export function svd(a: Matrix): { u: Matrix; s: Float64Array; v: Matrix } {
  if (!a.isFinite()) throw new InvalidArgumentError("svd: the matrix has non-finite entries.");
  if (a.rows < a.cols) {
    const t = svd(a.transpose());
    return { u: t.v, s: t.s, v: t.u };
  }
  const m = a.rows;
  const n = a.cols;
  if (n === 0) return { u: new Matrix(m, 0), s: new Float64Array(0), v: new Matrix(0, 0) };
  // Tall: Jacobi on R (n x n) from a = Q R; square: on a itself.
  const { q, r } = m > n ? qr(a) : { q: null, r: a };
  // Columns of the working matrix and of V, each contiguous.
  const b = r.transpose().data;
  const v = Matrix.identity(n).data;
  jacobiSweeps(b, v, n, n);

  const s = new Float64Array(n);
  for (let j = 0; j < n; j++) s[j] = Math.sqrt(dot(b, j * n, b, j * n, n));
  const order = Array.from({ length: n }, (_, j) => j).sort((i, j) => s[j]! - s[i]!);
  const sSorted = Float64Array.from(order, (j) => s[j]!);
  const tiny = n * Number.EPSILON * (sSorted[0] ?? 0);

  // U of R (n x n), columns u_j = b_j / s_j, completed where s_j is at rounding level.
  const ur = new Matrix(n, n);
  const vOut = new Matrix(n, n);
  const good: Float64Array[] = [];
  order.forEach((src, dst) => {
    for (let i = 0; i < n; i++) vOut.data[i * n + dst] = v[src * n + i]!;
    const sj = s[src]!;
    if (sj > tiny) {
      const col = new Float64Array(n);
      for (let i = 0; i < n; i++) col[i] = b[src * n + i]! / sj;
      good.push(col);
    }
  });
  const cols = completeOrthonormal(good, n, n);
  cols.forEach((col, j) => {
    for (let i = 0; i < n; i++) ur.data[i * n + j] = col[i]!;
  });
  return { u: q ? q.mul(ur) : ur, s: sSorted, v: vOut };
}

/**
 * Rotates pairs of the k columns (length len, contiguous in b) until all are orthogonal to
 * working precision, applying the same rotations to the columns of v (length k).
 */
function jacobiSweeps(b: Float64Array, v: Float64Array, len: number, k: number): void {
  const eps = Number.EPSILON;
  // Columns below eps * ||b||_F are rounding noise: rotating them never settles (in a
  // rank-deficient matrix they cannot all be orthogonal), and their values are zero anyway.
  const negligible = (eps * Math.sqrt(dot(b, 0, b, 0, b.length))) ** 2;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < k - 1; p++) {
      for (let q = p + 1; q < k; q++) {
        const po = p * len;
        const qo = q * len;
        const alpha = dot(b, po, b, po, len);
        const beta = dot(b, qo, b, qo, len);
        const gamma = dot(b, po, b, qo, len);
        if (alpha <= negligible || beta <= negligible) continue;
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotate(b, po, qo, len, c, s);
        rotate(v, p * k, q * k, k, c, s);
      }
    }
    if (!rotated) return;
  }
  throw new ConvergenceError(`svd: one-sided Jacobi did not converge in ${MAX_SWEEPS} sweeps.`);
}

function rotate(x: Float64Array, po: number, qo: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const a = x[po + i]!;
    const b = x[qo + i]!;
    x[po + i] = c * a - s * b;
    x[qo + i] = s * a + c * b;
  }
}

function dot(x: Float64Array, xo: number, y: Float64Array, yo: number, len: number): number {
  let s = 0;
  for (let i = 0; i < len; i++) s += x[xo + i]! * y[yo + i]!;
  return s;
}

/**
 * `count` orthonormal vectors of length len: the given ones, then the unit vectors farthest from
 * their span (the residual of e_i is 1 - sum_q q_i^2), made orthogonal twice.
 */
function completeOrthonormal(given: Float64Array[], len: number, count: number): Float64Array[] {
  const out = given.slice();
  while (out.length < count) {
    let best = 0;
    let bestResidual = -1;
    for (let e = 0; e < len; e++) {
      let r = 1;
      for (const q of out) r -= q[e]! * q[e]!;
      if (r > bestResidual) {
        bestResidual = r;
        best = e;
      }
    }
    const x = new Float64Array(len);
    x[best] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of out) {
        const d = dot(q, 0, x, 0, len);
        for (let i = 0; i < len; i++) x[i]! -= d * q[i]!;
      }
    }
    const nrm = Math.sqrt(dot(x, 0, x, 0, len));
    for (let i = 0; i < len; i++) x[i]! /= nrm;
    out.push(x);
  }
  return out;
}
