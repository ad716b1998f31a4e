import { Matrix } from "./matrix.js";
import type { LinearOperator } from "./operator.js";
import { rmatmatOf } from "./operators/base.js";
import { asOperator, DenseOperator } from "./operators/dense.js";
import { checkTolerance, decideNullity, type RankTolerance } from "./rank-gap.js";
import { svd } from "./svd.js";
import { symmetricEigen } from "./symmetric-eigen.js";

export interface NullSpaceOptions {
  /** Singular values at most rtol * sigma_max count as zero. Default 1e-8. */
  rtol?: number;
  /** Required factor between the smallest nonzero and the largest zero singular value. Default 1e3. */
  gapRatio?: number;
}

export const DEFAULT_RANK_TOLERANCE: RankTolerance = { rtol: 1e-8, gapRatio: 1e3 };

/** Candidate subspaces up to this size get an SVD refinement; larger ones use column norms. */
const REFINE_LIMIT = 160;
/** Columns of the identity pushed through the operator at once when forming A^T A. */
const GRAM_CHUNK = 256;

/**
 * An orthonormal basis (n x r) of the null space of a (m x n), computed densely.
 *
 * 1. G = A^T A (through the operator's own products, so Kronecker structure stays cheap) and
 *    its eigen-decomposition. Eigenvalues of G are the squared singular values, so G alone
 *    resolves singular values only down to about sqrt(eps) sigma_max.
 * 2. The eigenvectors with sigma <= max(1e-2, 100 rtol) sigma_max are candidates; their singular
 *    values are recomputed from A itself (an SVD of A W, or the norms ||A w_i|| when there are
 *    more than 160 candidates), which resolves them down to about eps * cond * sigma_max.
 * 3. The tolerance rule: sigma_i <= rtol * sigma_max counts as zero, and the smallest nonzero
 *    sigma must be at least gapRatio times the largest zero one (or than 16 eps sigma_max);
 *    otherwise ConvergenceError lists the values instead of guessing a dimension.
 *
 * Cost: one n x n symmetric eigenproblem (about 9 n^3 flops) plus the products with A.
 */
export function nullSpace(a: Matrix | LinearOperator, opts: NullSpaceOptions = {}): Matrix {
  const tol: RankTolerance = { ...DEFAULT_RANK_TOLERANCE, ...definedOnly(opts) };
  checkTolerance("nullSpace", tol);
  const op = asOperator(a);
  const n = op.cols;
  if (n === 0 || op.rows === 0) return Matrix.identity(n);

  const { values, vectors } = symmetricEigen(gram(op));
  const lmax = Math.max(values[n - 1]!, 0);
  if (lmax === 0) return Matrix.identity(n);
  const smax = Math.sqrt(lmax);
  const cut = Math.min(1, Math.max(1e-2, 100 * tol.rtol)) ** 2 * lmax;
  let c = 0;
  while (c < n && values[c]! <= cut) c++;

  // Relative singular values of the candidates (ascending) and the basis they belong to.
  let rel: Float64Array;
  let basis: Matrix;
  const w = columns(vectors, 0, c);
  if (c === 0) {
    rel = new Float64Array(0);
    basis = w;
  } else {
    const b = op.matmat(w);
    if (c <= REFINE_LIMIT) {
      // Pad to at least c rows so that svd returns all c right singular vectors.
      const bp = b.rows >= c ? b : padRows(b, c);
      const { s, v } = svd(bp);
      rel = Float64Array.from(s, (x) => x / smax).reverse();
      basis = w.mul(reverseColumns(v));
    } else {
      const norms = columnNorms(b);
      const order = Array.from({ length: c }, (_, i) => i).sort((i, j) => norms[i]! - norms[j]!);
      rel = Float64Array.from(order, (i) => norms[i]! / smax);
      basis = permuteColumns(w, order);
    }
  }
  const withNext = new Float64Array(c + (c < n ? 1 : 0));
  withNext.set(rel);
  if (c < n) withNext[c] = Math.sqrt(Math.max(values[c]!, 0)) / smax;
  // The refined values can come out slightly unsorted next to the unrefined one.
  const r = decideNullity("nullSpace", withNext.sort(), tol);
  return columns(basis, 0, r);
}

/** A^T A, symmetrised, built a block of identity columns at a time. */
export function gram(op: LinearOperator): Matrix {
  const n = op.cols;
  if (op instanceof DenseOperator) return symmetrize(op.rmatmat(op.matrix));
  const g = new Matrix(n, n);
  for (let j0 = 0; j0 < n; j0 += GRAM_CHUNK) {
    const k = Math.min(GRAM_CHUNK, n - j0);
    const e = new Matrix(n, k);
    for (let j = 0; j < k; j++) e.data[(j0 + j) * k + j] = 1;
    const z = rmatmatOf(op, op.matmat(e));
    for (let i = 0; i < n; i++) g.data.set(z.data.subarray(i * k, i * k + k), i * n + j0);
  }
  return symmetrize(g);
}

function symmetrize(g: Matrix): Matrix {
  const n = g.rows;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const m = 0.5 * (g.data[i * n + j]! + g.data[j * n + i]!);
      g.data[i * n + j] = m;
      g.data[j * n + i] = m;
    }
  }
  return g;
}

export function columns(a: Matrix, from: number, to: number): Matrix {
  const k = to - from;
  const out = new Matrix(a.rows, k);
  for (let i = 0; i < a.rows; i++) {
    out.data.set(a.data.subarray(i * a.cols + from, i * a.cols + to), i * k);
  }
  return out;
}

function reverseColumns(a: Matrix): Matrix {
  return permuteColumns(
    a,
    Array.from({ length: a.cols }, (_, j) => a.cols - 1 - j),
  );
}

function permuteColumns(a: Matrix, order: readonly number[]): Matrix {
  const out = new Matrix(a.rows, order.length);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < order.length; j++) {
      out.data[i * order.length + j] = a.data[i * a.cols + order[j]!]!;
    }
  }
  return out;
}

function padRows(b: Matrix, rows: number): Matrix {
  const out = new Matrix(rows, b.cols);
  out.data.set(b.data);
  return out;
}

function columnNorms(b: Matrix): Float64Array {
  const s = new Float64Array(b.cols);
  for (let i = 0; i < b.rows; i++) {
    for (let j = 0; j < b.cols; j++) s[j]! += b.data[i * b.cols + j]! ** 2;
  }
  return s.map(Math.sqrt);
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
