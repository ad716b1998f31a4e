import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { Matrix } from "./matrix.js";

/** An LU factorisation with partial pivoting: P a = L U, L unit lower, packed in one array. */
interface LuFactors {
  readonly n: number;
  readonly lu: Float64Array;
  /** Row i of P a is row piv[i] of a. */
  readonly piv: Int32Array;
}

/**
 * Factorises a square matrix. A pivot of at most n * eps * max|a_ij| counts as zero: past that
 * point the factors carry no correct digits, so the matrix is reported singular rather than
 * returning an inverse made of rounding errors.
 */
function luFactor(a: Matrix, what: string): LuFactors {
  if (a.rows !== a.cols) throw new ShapeError(what, "a square matrix", `${a.rows} x ${a.cols}`);
  if (!a.isFinite()) throw new InvalidArgumentError(`${what}: the matrix has non-finite entries.`);
  const n = a.rows;
  const lu = a.data.slice();
  const piv = new Int32Array(n);
  for (let i = 0; i < n; i++) piv[i] = i;
  let scale = 0;
  for (const v of lu) scale = Math.max(scale, Math.abs(v));
  const tiny = n * Number.EPSILON * scale;

  for (let k = 0; k < n; k++) {
    let p = k;
    let best = Math.abs(lu[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(lu[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (best <= tiny || best === 0) {
      throw new InvalidArgumentError(
        `${what}: the matrix is singular to working precision (pivot ${best.toExponential(2)} ` +
          `at step ${k + 1} of ${n}, largest entry ${scale.toExponential(2)}).`,
      );
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = lu[k * n + j]!;
        lu[k * n + j] = lu[p * n + j]!;
        lu[p * n + j] = t;
      }
      const t = piv[k]!;
      piv[k] = piv[p]!;
      piv[p] = t;
    }
    const pivot = lu[k * n + k]!;
    for (let i = k + 1; i < n; i++) {
      const l = lu[i * n + k]! / pivot;
      lu[i * n + k] = l;
      if (l === 0) continue;
      const ri = i * n;
      const rk = k * n;
      for (let j = k + 1; j < n; j++) lu[ri + j]! -= l * lu[rk + j]!;
    }
  }
  return { n, lu, piv };
}

/** Solves L U X = P B for a row-major right-hand side with k columns. */
function luSolve(f: LuFactors, b: Float64Array, k: number): Float64Array {
  const { n, lu, piv } = f;
  const x = new Float64Array(n * k);
  for (let i = 0; i < n; i++) x.set(b.subarray(piv[i]! * k, piv[i]! * k + k), i * k);
  for (let i = 0; i < n; i++) {
    const ri = i * k;
    for (let j = 0; j < i; j++) {
      const l = lu[i * n + j]!;
      if (l === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c]! -= l * x[rj + c]!;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    const ri = i * k;
    for (let j = i + 1; j < n; j++) {
      const u = lu[i * n + j]!;
      if (u === 0) continue;
      const rj = j * k;
      for (let c = 0; c < k; c++) x[ri + c]! -= u * x[rj + c]!;
    }
    const d = lu[i * n + i]!;
    for (let c = 0; c < k; c++) x[ri + c]! /= d;
  }
  return x;
}

/** The inverse of a square matrix (LU with partial pivoting); singular -> InvalidArgumentError. */
export function inverse(a: Matrix): Matrix {
  const f = luFactor(a, "inverse");
  return new Matrix(a.rows, a.rows, luSolve(f, Matrix.identity(a.rows).data, a.rows));
}

/**
 * The solution x of a x = b (LU with partial pivoting). b is a matrix (n x k, giving n x k) or a
 * vector (giving a Float64Array). Singular a -> InvalidArgumentError.
 */
export function solve(a: Matrix, b: Matrix): Matrix;
export function solve(a: Matrix, b: ArrayLike<number>): Float64Array;
export function solve(a: Matrix, b: Matrix | ArrayLike<number>): Matrix | Float64Array {
  const isMatrix = b instanceof Matrix;
  const rows = isMatrix ? b.rows : b.length;
  if (rows !== a.rows) {
    throw new ShapeError("solve: right-hand side", `${a.rows} rows`, `${rows}`);
  }
  const f = luFactor(a, "solve");
  if (isMatrix) return new Matrix(b.rows, b.cols, luSolve(f, b.data, b.cols));
  return luSolve(f, Float64Array.from(b), 1);
}
