import { ConvergenceError, InvalidArgumentError, ShapeError } from "@isotropy/core";
import { applyBlockReflector, blockFactor } from "./block-reflector.js";
import { Matrix } from "./matrix.js";

/** QL sweeps allowed per eigenvalue before giving up (LAPACK allows 30 per eigenvalue). */
const MAX_SWEEPS = 60;

/**
 * Eigenvalues (ascending) and orthonormal eigenvectors (the columns of `vectors`) of a real
 * symmetric matrix: a = V diag(values) V^T.
 *
 * Householder tridiagonalisation, then the implicit QL algorithm with Wilkinson-type shifts
 * (tred2/tql2 of EISPACK, as in JAMA), about 9 n^3 flops. Written for row-major Float64Array
 * memory: the reduction reads the lower triangle row by row, and each QL sweep's plane rotations
 * are recorded and then applied one row of V at a time (as LAPACK's dlasr does), so the inner
 * loops stay in cache at n ~ 1000.
 *
 * Only the lower triangle of a is read; a must be symmetric up to rounding (relative 1e-8).
 */
export function symmetricEigen(a: Matrix): { values: Float64Array; vectors: Matrix } {
  if (a.rows !== a.cols) {
    throw new ShapeError("symmetricEigen", "a square matrix", `${a.rows} x ${a.cols}`);
  }
  if (!a.isFinite()) {
    throw new InvalidArgumentError("symmetricEigen: the matrix has non-finite entries.");
  }
  checkSymmetric(a);
  const n = a.rows;
  const w = a.data.slice();
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  const betas = new Float64Array(n);
  tridiagonalize(w, n, d, e, betas);
  const z = accumulateReflectors(w, n, betas);
  tridiagonalQl(d, e, z, n);
  return sortAscending(d, z, n);
}

function checkSymmetric(a: Matrix): void {
  const n = a.rows;
  let scale = 0;
  let asym = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      const x = a.data[i * n + j]!;
      const y = a.data[j * n + i]!;
      scale = Math.max(scale, Math.abs(x));
      asym = Math.max(asym, Math.abs(x - y));
    }
  }
  if (asym > 1e-8 * scale) {
    throw new InvalidArgumentError(
      `symmetricEigen: the matrix is not symmetric (max |a - a^T| = ${asym.toExponential(2)}, ` +
        `max |a| = ${scale.toExponential(2)}).`,
    );
  }
}

/**
 * Reduces the lower triangle of w to tridiagonal form T = Q^T a Q, Q = H_0 H_1 ... H_{n-3}.
 * d gets the diagonal, e[i] the entry coupling i and i + 1. The Householder vector of step k is
 * stored below the subdiagonal in column k (entries k+1.. of column k), its beta in betas[k].
 */
function tridiagonalize(
  w: Float64Array,
  n: number,
  d: Float64Array,
  e: Float64Array,
  betas: Float64Array,
): void {
  const v = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const o = k + 1; // the trailing block starts here
    const len = n - o;
    let norm2 = 0;
    for (let i = 0; i < len; i++) {
      const x = w[(o + i) * n + k]!;
      v[i] = x;
      norm2 += x * x;
    }
    d[k] = w[k * n + k]!;
    // Already tridiagonal in this column (x = (x0, 0, ..., 0)): H = I.
    if (norm2 - v[0]! * v[0]! === 0) {
      e[k] = v[0]!;
      betas[k] = 0;
      continue;
    }
    const norm = Math.sqrt(norm2);
    const alpha = v[0]! >= 0 ? -norm : norm;
    const v0 = v[0]! - alpha;
    const beta = 2 / (norm2 - v[0]! * v[0]! + v0 * v0);
    v[0] = v0;
    e[k] = alpha;
    betas[k] = beta;
    for (let i = 0; i < len; i++) w[(o + i) * n + k] = v[i]!;

    // p = beta S v with S the trailing block, read from its lower triangle row by row.
    p.fill(0, 0, len);
    for (let i = 0; i < len; i++) {
      const row = (o + i) * n + o;
      const vi = v[i]!;
      let acc = 0;
      for (let j = 0; j < i; j++) {
        const s = w[row + j]!;
        acc += s * v[j]!;
        p[j]! += s * vi;
      }
      p[i]! += acc + w[row + i]! * vi;
    }
    let pv = 0;
    for (let i = 0; i < len; i++) {
      p[i]! *= beta;
      pv += p[i]! * v[i]!;
    }
    // w' = p - (beta/2)(p.v) v; S -= v w'^T + w' v^T (lower triangle).
    const kk = 0.5 * beta * pv;
    for (let i = 0; i < len; i++) p[i]! -= kk * v[i]!;
    for (let i = 0; i < len; i++) {
      const row = (o + i) * n + o;
      const vi = v[i]!;
      const pi = p[i]!;
      for (let j = 0; j <= i; j++) w[row + j]! -= vi * p[j]! + pi * v[j]!;
    }
  }
  if (n >= 2) {
    d[n - 2] = w[(n - 2) * n + n - 2]!;
    e[n - 2] = w[(n - 1) * n + n - 2]!;
  }
  if (n >= 1) d[n - 1] = w[(n - 1) * n + n - 1]!;
  e[n - 1] = 0;
}

/** Reflectors per block in the accumulation of Q. */
const BLOCK = 32;

/**
 * Q = H_0 ... H_{n-3}, applied right to left to the identity (row-major Q), 32 reflectors per
 * pass over Q as a compact WY block.
 */
function accumulateReflectors(w: Float64Array, n: number, betas: Float64Array): Float64Array {
  const q = new Float64Array(n * n);
  for (let i = 0; i < n; i++) q[i * n + i] = 1;
  for (let kEnd = n - 3; kEnd >= 0; kEnd -= BLOCK) {
    const k0 = Math.max(0, kEnd - BLOCK + 1);
    const nb = kEnd - k0 + 1;
    const r0 = k0 + 1; // rows (and columns) r0..n-1 change
    const len = n - r0;
    // v_t (reflector k0 + t) lives on rows k0 + t + 1.. of column k0 + t.
    const v = new Float64Array(len * nb);
    for (let i = 0; i < len; i++) {
      for (let t = 0; t < nb && k0 + t + 1 <= r0 + i; t++)
        v[i * nb + t] = w[(r0 + i) * n + k0 + t]!;
    }
    const tm = blockFactor(v, len, nb, betas.subarray(k0, k0 + nb));
    applyBlockReflector(q, n, r0, len, r0, n, v, nb, tm, false);
  }
  return q;
}

/**
 * Implicit QL on the tridiagonal (d, e), accumulating rotations into the columns of z
 * (row-major n x n). On return d holds the eigenvalues, unsorted.
 */
function tridiagonalQl(d: Float64Array, e: Float64Array, z: Float64Array, n: number): void {
  const cs = new Float64Array(n);
  const sn = new Float64Array(n);
  let f = 0;
  let tst1 = 0;
  const eps = Number.EPSILON;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let sweeps = 0;
      do {
        if (++sweeps > MAX_SWEEPS) {
          throw new ConvergenceError(
            `symmetricEigen: the QL iteration did not converge for eigenvalue ${l + 1} of ${n} ` +
              `after ${MAX_SWEEPS} sweeps.`,
          );
        }
        // Shift from the leading 2 x 2 block.
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;

        p = d[m]!;
        let c = 1;
        let c2 = 1;
        let c3 = 1;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          cs[i] = c;
          sn[i] = s;
        }
        applyRotations(z, n, l, m, cs, sn);
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l]! += f;
    e[l] = 0;
  }
}

/**
 * Applies the sweep's rotations (columns i, i+1 for i = m-1 down to l) row by row. The value
 * moving down the row is carried in a register, and four rows run interleaved so that their
 * dependency chains overlap.
 */
function applyRotations(
  z: Float64Array,
  n: number,
  l: number,
  m: number,
  cs: Float64Array,
  sn: Float64Array,
): void {
  let row = 0;
  for (; row + 4 * n <= n * n; row += 4 * n) {
    const r0 = row;
    const r1 = row + n;
    const r2 = row + 2 * n;
    const r3 = row + 3 * n;
    let b0 = z[r0 + m]!;
    let b1 = z[r1 + m]!;
    let b2 = z[r2 + m]!;
    let b3 = z[r3 + m]!;
    for (let i = m - 1; i >= l; i--) {
      const c = cs[i]!;
      const s = sn[i]!;
      const a0 = z[r0 + i]!;
      const a1 = z[r1 + i]!;
      const a2 = z[r2 + i]!;
      const a3 = z[r3 + i]!;
      z[r0 + i + 1] = s * a0 + c * b0;
      z[r1 + i + 1] = s * a1 + c * b1;
      z[r2 + i + 1] = s * a2 + c * b2;
      z[r3 + i + 1] = s * a3 + c * b3;
      b0 = c * a0 - s * b0;
      b1 = c * a1 - s * b1;
      b2 = c * a2 - s * b2;
      b3 = c * a3 - s * b3;
    }
    z[r0 + l] = b0;
    z[r1 + l] = b1;
    z[r2 + l] = b2;
    z[r3 + l] = b3;
  }
  for (; row < n * n; row += n) {
    let b = z[row + m]!;
    for (let i = m - 1; i >= l; i--) {
      const c = cs[i]!;
      const s = sn[i]!;
      const a = z[row + i]!;
      z[row + i + 1] = s * a + c * b;
      b = c * a - s * b;
    }
    z[row + l] = b;
  }
}

function sortAscending(
  d: Float64Array,
  z: Float64Array,
  n: number,
): { values: Float64Array; vectors: Matrix } {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i]! - d[j]!);
  const values = new Float64Array(n);
  const vectors = new Matrix(n, n);
  order.forEach((src, dst) => {
    values[dst] = d[src]!;
  });
  for (let r = 0; r < n; r++) {
    const row = r * n;
    for (let j = 0; j < n; j++) vectors.data[row + j] = z[row + order[j]!]!;
  }
  return { values, vectors };
}

/** sqrt(a^2 + b^2) without overflow; Math.hypot is several times slower in V8. */
function hypot(a: number, b: number): number {
  const x = Math.abs(a);
  const y = Math.abs(b);
  if (x > y) {
    const t = y / x;
    return x * Math.sqrt(1 + t * t);
  }
  if (y === 0) return 0;
  const t = x / y;
  return y * Math.sqrt(1 + t * t);
}
