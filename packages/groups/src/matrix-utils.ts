import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { Matrix } from "@isotropy/linalg";

/** True when `m` is the identity matrix, entrywise within `tol` (exact by default). */
export function isIdentity(m: Matrix, tol = 0): boolean {
  if (m.rows !== m.cols) return false;
  const n = m.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (Math.abs(m.data[i * n + j]! - (i === j ? 1 : 0)) > tol) return false;
    }
  }
  return true;
}

/** True when m^T m = I within `tol`. */
export function isOrthogonalMatrix(m: Matrix, tol = 1e-9): boolean {
  if (m.rows !== m.cols) return false;
  return isIdentity(m.transpose().mul(m), tol);
}

/** True when m^T = -m within `tol`. */
export function isAntisymmetric(m: Matrix, tol = 1e-9): boolean {
  if (m.rows !== m.cols) return false;
  const n = m.rows;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      if (Math.abs(m.data[i * n + j]! + m.data[j * n + i]!) > tol) return false;
    }
  }
  return true;
}

/**
 * The permutation p with `Matrix.permutation(p)` equal to `m` when `m` is exactly a permutation
 * matrix (one entry 1 per row and column, every other entry 0); otherwise null.
 */
export function permutationOf(m: Matrix): Int32Array | null {
  if (m.rows !== m.cols) return null;
  const n = m.rows;
  const p = new Int32Array(n);
  const seen = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let col = -1;
    for (let j = 0; j < n; j++) {
      const v = m.data[i * n + j]!;
      if (v === 0) continue;
      if (v !== 1 || col !== -1) return null;
      col = j;
    }
    if (col === -1 || seen[col]) return null;
    seen[col] = 1;
    p[i] = col;
  }
  return p;
}

/** A `Matrix`, also from another copy of @isotropy/linalg (checked by shape, not by class). */
export function isMatrixLike(x: unknown): x is Matrix {
  if (x instanceof Matrix) return true;
  if (typeof x !== "object" || x === null) return false;
  const m = x as Partial<Matrix>;
  return (
    typeof m.rows === "number" &&
    typeof m.cols === "number" &&
    m.data instanceof Float64Array &&
    typeof m.mul === "function"
  );
}

/** Checks that every generator is a finite d x d matrix; `what` names the list in errors. */
export function checkGenerators(what: string, gens: readonly unknown[], d: number): void {
  if (!Array.isArray(gens)) {
    throw new InvalidArgumentError(`${what} must be an array of matrices.`);
  }
  gens.forEach((g, k) => {
    if (!isMatrixLike(g)) {
      throw new InvalidArgumentError(
        `${what}[${k}] is not a Matrix; build generators with Matrix.fromRows(...) from @isotropy/linalg.`,
      );
    }
    if (g.rows !== g.cols) {
      throw new ShapeError(
        `${what}[${k}] (generators must be square)`,
        `${d} x ${d}`,
        `${g.rows} x ${g.cols}`,
      );
    }
    if (g.rows !== d) {
      throw new ShapeError(
        `${what}[${k}] (all generators act on the same R^d)`,
        `${d} x ${d}`,
        `${g.rows} x ${g.cols}`,
      );
    }
    if (!g.isFinite()) {
      throw new InvalidArgumentError(
        `${what}[${k}] has a non-finite entry (NaN or Infinity); generators must be finite matrices.`,
      );
    }
  });
}

/** Block-diagonal embedding: `m` placed at [offset, offset + m.rows) of a d x d matrix. */
export function embedBlock(m: Matrix, d: number, offset: number, fillIdentity: boolean): Matrix {
  const out = fillIdentity ? Matrix.identity(d) : Matrix.zeros(d, d);
  const k = m.rows;
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) out.data[(offset + i) * d + offset + j] = m.data[i * k + j]!;
  }
  return out;
}

/** Block-diagonal matrix of `blocks`. */
export function blockDiag(blocks: readonly Matrix[]): Matrix {
  const d = blocks.reduce((s, b) => s + b.rows, 0);
  const out = Matrix.zeros(d, d);
  let o = 0;
  for (const b of blocks) {
    const k = b.rows;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) out.data[(o + i) * d + o + j] = b.data[i * k + j]!;
    }
    o += k;
  }
  return out;
}

/** A linear combination sum_k c_k M_k of equally shaped matrices. */
export function combine(coeffs: ArrayLike<number>, mats: readonly Matrix[], d: number): Matrix {
  const out = Matrix.zeros(d, d);
  mats.forEach((m, k) => {
    const c = coeffs[k]!;
    if (c === 0) return;
    for (let i = 0; i < out.data.length; i++) out.data[i]! += c * m.data[i]!;
  });
  return out;
}

/** Integer power (k >= 0) by repeated squaring. */
export function matrixPower(m: Matrix, k: number): Matrix {
  let result = Matrix.identity(m.rows);
  let base = m;
  while (k > 0) {
    if (k & 1) result = result.mul(base);
    k >>= 1;
    if (k > 0) base = base.mul(base);
  }
  return result;
}

/**
 * The determinant, by LU with partial pivoting. Small and internal: used to fix the component
 * of Haar samples and by the tests.
 */
export function determinant(m: Matrix): number {
  if (m.rows !== m.cols)
    throw new ShapeError("determinant", "a square matrix", `${m.rows} x ${m.cols}`);
  const n = m.rows;
  const a = m.data.slice();
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    const piv = a[p * n + c]!;
    if (piv === 0) return 0;
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const t = a[c * n + j]!;
        a[c * n + j] = a[p * n + j]!;
        a[p * n + j] = t;
      }
      det = -det;
    }
    det *= piv;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / piv;
      if (f === 0) continue;
      for (let j = c; j < n; j++) a[r * n + j]! -= f * a[c * n + j]!;
    }
  }
  return det;
}

/**
 * The determinant of the complex matrix re + i im (n x n each), as [re, im], by LU with partial
 * pivoting.
 */
export function complexDeterminant(
  re: Float64Array,
  im: Float64Array,
  n: number,
): [number, number] {
  const ar = re.slice();
  const ai = im.slice();
  let dr = 1;
  let di = 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    let best = Math.hypot(ar[c * n + c]!, ai[c * n + c]!);
    for (let r = c + 1; r < n; r++) {
      const v = Math.hypot(ar[r * n + c]!, ai[r * n + c]!);
      if (v > best) {
        best = v;
        p = r;
      }
    }
    if (best === 0) return [0, 0];
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        let t = ar[c * n + j]!;
        ar[c * n + j] = ar[p * n + j]!;
        ar[p * n + j] = t;
        t = ai[c * n + j]!;
        ai[c * n + j] = ai[p * n + j]!;
        ai[p * n + j] = t;
      }
      dr = -dr;
      di = -di;
    }
    const pr = ar[c * n + c]!;
    const pi = ai[c * n + c]!;
    [dr, di] = [dr * pr - di * pi, dr * pi + di * pr];
    const den = pr * pr + pi * pi;
    for (let r = c + 1; r < n; r++) {
      const xr = ar[r * n + c]!;
      const xi = ai[r * n + c]!;
      // f = x / pivot
      const fr = (xr * pr + xi * pi) / den;
      const fi = (xi * pr - xr * pi) / den;
      if (fr === 0 && fi === 0) continue;
      for (let j = c; j < n; j++) {
        const yr = ar[c * n + j]!;
        const yi = ai[c * n + j]!;
        ar[r * n + j]! -= fr * yr - fi * yi;
        ai[r * n + j]! -= fr * yi + fi * yr;
      }
    }
  }
  return [dr, di];
}
