import { applyBlockReflector, blockFactor } from "./block-reflector.js";
import { Matrix } from "./matrix.js";

/** Columns per panel of the blocked factorisation. */
const PANEL = 16;

/**
 * Thin Householder QR: a = q r with q (m x p, p = min(m, n)) having orthonormal columns and
 * r (p x n) upper triangular with a non-negative diagonal (which makes the factors unique for a
 * full-rank a). Householder rather than Gram-Schmidt so that q stays orthonormal to rounding
 * even when a is rank deficient. Blocked: each panel of 16 reflectors reaches the trailing
 * columns, and q, as one compact WY block.
 */
export function qr(a: Matrix): { q: Matrix; r: Matrix } {
  const m = a.rows;
  const n = a.cols;
  const p = Math.min(m, n);
  const w = a.data.slice();
  const panels: { k0: number; nb: number; v: Float64Array; tm: Float64Array }[] = [];

  for (let k0 = 0; k0 < p; k0 += PANEL) {
    const nb = Math.min(PANEL, p - k0);
    const len = m - k0;
    const v = new Float64Array(len * nb);
    const betas = new Float64Array(nb);
    for (let t = 0; t < nb; t++) {
      const k = k0 + t;
      betas[t] = householder(w, n, m, k, v, nb, t, k0);
      // Within the panel, one reflector at a time.
      if (betas[t] !== 0) applySingle(w, n, k, m, k + 1, k0 + nb, v, nb, t, k0, betas[t]!);
    }
    const tm = blockFactor(v, len, nb, betas);
    // Trailing columns get Q_panel^T = (H_k0 ... H_k0+nb-1)^T = I - V T^T V^T.
    applyBlockReflector(w, n, k0, len, k0 + nb, n, v, nb, tm, true);
    panels.push({ k0, nb, v, tm });
  }

  const r = new Matrix(p, n);
  for (let i = 0; i < p; i++) {
    for (let j = i; j < n; j++) r.data[i * n + j] = w[i * n + j]!;
  }
  // q = Q_0 Q_1 ... [I; 0], panels applied right to left; Q_b leaves columns < k0 alone.
  const q = new Matrix(m, p);
  for (let i = 0; i < p; i++) q.data[i * p + i] = 1;
  for (let b = panels.length - 1; b >= 0; b--) {
    const { k0, nb, v, tm } = panels[b]!;
    applyBlockReflector(q.data, p, k0, m - k0, k0, p, v, nb, tm, false);
  }

  // Non-negative diagonal of r.
  for (let i = 0; i < p; i++) {
    if (r.data[i * n + i]! < 0) {
      for (let j = i; j < n; j++) r.data[i * n + j] = -r.data[i * n + j]!;
      for (let t = 0; t < m; t++) q.data[t * p + i] = -q.data[t * p + i]!;
    }
  }
  return { q, r };
}

/**
 * The reflector that zeroes column k below the diagonal: stored as column t of the panel's V
 * (rows from k0), with the column of w overwritten by (alpha, 0, ..., 0). Returns beta.
 */
function householder(
  w: Float64Array,
  n: number,
  m: number,
  k: number,
  v: Float64Array,
  nb: number,
  t: number,
  k0: number,
): number {
  let norm2 = 0;
  for (let i = k; i < m; i++) norm2 += w[i * n + k]! ** 2;
  const x0 = w[k * n + k]!;
  if (norm2 === 0 || norm2 === x0 * x0) {
    // Already zero below the diagonal: no reflection (beta = 0, v = 0).
    return 0;
  }
  const norm = Math.sqrt(norm2);
  // Reflect onto -sign(x0) e1 so that v0 = x0 - alpha involves no cancellation.
  const alpha = x0 >= 0 ? -norm : norm;
  const v0 = x0 - alpha;
  v[(k - k0) * nb + t] = v0;
  for (let i = k + 1; i < m; i++) v[(i - k0) * nb + t] = w[i * n + k]!;
  w[k * n + k] = alpha;
  for (let i = k + 1; i < m; i++) w[i * n + k] = 0;
  return 2 / (norm2 - x0 * x0 + v0 * v0);
}

/** (I - beta v v^T) on rows [r0, r1) and columns [c0, c1) of w, v being column t of V. */
function applySingle(
  w: Float64Array,
  stride: number,
  r0: number,
  r1: number,
  c0: number,
  c1: number,
  v: Float64Array,
  nb: number,
  t: number,
  k0: number,
  beta: number,
): void {
  if (c1 <= c0) return;
  const acc = new Float64Array(c1 - c0);
  for (let i = r0; i < r1; i++) {
    const vi = v[(i - k0) * nb + t]!;
    if (vi === 0) continue;
    const row = i * stride;
    for (let j = c0; j < c1; j++) acc[j - c0]! += vi * w[row + j]!;
  }
  for (let i = r0; i < r1; i++) {
    const f = beta * v[(i - k0) * nb + t]!;
    if (f === 0) continue;
    const row = i * stride;
    for (let j = c0; j < c1; j++) w[row + j]! -= f * acc[j - c0]!;
  }
}
