import { type Group, isIdentity } from "@isotropy/groups";
import { Matrix, symmetricEigen } from "@isotropy/linalg";
import { type Rep, TensorRep } from "@isotropy/reps";

/** O(n) or SO(n) on R^n with the identity form (the Euclidean orthogonal groups). */
export interface EuclideanGroup {
  readonly n: number;
  readonly special: boolean;
}

/** O(n)/SO(n) as built by @isotropy/groups (identity invariant form, all of so(n)), else null. */
export function euclideanOrthogonal(group: Group): EuclideanGroup | null {
  if (group.factors) return null;
  const f = group.invariantForm;
  if (f?.kind !== "orthogonal" || !isIdentity(f.form, 1e-12)) return null;
  const n = group.d;
  if (group.lieGenerators.length !== (n * (n - 1)) / 2) return null;
  return { n, special: f.special };
}

/**
 * The V leaves of `rep` (in layout order) as positions into x, or null when `rep` has a leaf
 * that is neither V (V* = V for orthogonal groups) nor a scalar.
 */
export function vectorLeaves(rep: Rep): Int32Array[] | null {
  const { leaves, perm } = rep.decompose();
  const out: Int32Array[] = [];
  let offset = 0;
  for (const leaf of leaves) {
    if (!(leaf instanceof TensorRep) || leaf.factors.length > 1) return null;
    if (leaf.factors.length === 1) {
      const pos = new Int32Array(leaf.size);
      for (let c = 0; c < leaf.size; c++) pos[c] = perm ? perm[offset + c]! : offset + c;
      out.push(pos);
    }
    offset += leaf.size;
  }
  return out;
}

/** A frame for a tuple of points: orthonormal axes (columns), and which axes are arbitrary. */
export interface OrthogonalFrame {
  /** n x n orthogonal (det +1 when `special`), columns are the axes. */
  readonly frame: Matrix;
  /**
   * Number of axes that no point determines (every point is orthogonal to them); they are
   * completed by a fixed rule and any rotation among them fixes the points.
   */
  readonly free: number;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(y: Float64Array, a: number, x: ArrayLike<number>): void {
  for (let i = 0; i < y.length; i++) y[i]! += a * x[i]!;
}

/** Determinant by Gaussian elimination with partial pivoting. */
export function determinant(m: Matrix): number {
  const n = m.rows;
  const a = m.data.slice();
  let det = 1;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r * n + c]!) > Math.abs(a[p * n + c]!)) p = r;
    if (a[p * n + c] === 0) return 0;
    if (p !== c) {
      for (let j = 0; j < n; j++) {
        const t = a[c * n + j]!;
        a[c * n + j] = a[p * n + j]!;
        a[p * n + j] = t;
      }
      det = -det;
    }
    const piv = a[c * n + c]!;
    det *= piv;
    for (let r = c + 1; r < n; r++) {
      const f = a[r * n + c]! / piv;
      if (f !== 0) for (let j = c; j < n; j++) a[r * n + j]! -= f * a[c * n + j]!;
    }
  }
  return det;
}

/**
 * An equivariant frame of an ordered tuple of points p_1..p_k in R^n: F(R p) = R F(p) for every
 * orthogonal R, up to the free axes (those orthogonal to all points, where any choice fixes the
 * points). With c = the centroid and M = (1/k) sum (p_i - c)(p_i - c)^T:
 *
 * 1. The eigenvalues of M, in decreasing order, are grouped: a new group starts where two
 *    neighbours differ by more than tol * s^2 (s^2 = the mean squared norm of the points).
 * 2. A simple eigenvalue gives one axis, its eigenvector u, signed by the third moment
 *    sum (u . (p_i - c))^3 when that exceeds tol * k * s^3, otherwise by the first point (in the
 *    given order) with |u . p_i| > tol * s; if there is none, u is a free axis.
 * 3. A repeated eigenvalue (an isotropic block, as for a regular polygon) takes its axes by
 *    Gram-Schmidt, inside that eigenspace, of the projections of c, p_1, p_2, ... in this order
 *    (projections shorter than tol * s are skipped): the ordered choice of points breaks the tie.
 *    Axes still missing are free, completed by Gram-Schmidt of e_1, ..., e_n.
 * 4. For SO(n) (`special`), a frame with det -1 has its last free axis negated, or, if none is
 *    free, its last axis.
 *
 * Every decision compares invariants (eigenvalues, moments, projections) with thresholds, so the
 * frame is exactly equivariant except when an invariant lies within rounding of a threshold.
 */
export function orthogonalFrame(
  points: readonly Float64Array[],
  n: number,
  special: boolean,
  tol: number,
): OrthogonalFrame {
  const k = points.length;
  let s2 = 0;
  for (const p of points) s2 += dot(p, p);
  s2 = k > 0 ? s2 / k : 0;
  const s = Math.sqrt(s2);
  const axes: Float64Array[] = [];
  const isFree: boolean[] = [];
  const centroid = new Float64Array(n);
  for (const p of points) axpy(centroid, 1 / k, p);
  const centred = points.map((p) => {
    const q = Float64Array.from(p);
    axpy(q, -1, centroid);
    return q;
  });
  const eps = tol * s;
  if (s === 0) {
    for (let j = 0; j < n; j++) {
      const e = new Float64Array(n);
      e[j] = 1;
      axes.push(e);
      isFree.push(true);
    }
  } else {
    const m = new Matrix(n, n);
    for (const q of centred) {
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) m.data[a * n + b]! += (q[a]! * q[b]!) / k;
    }
    const { values, vectors } = symmetricEigen(m);
    const order = Array.from({ length: n }, (_, i) => n - 1 - i);
    const groups: number[][] = [];
    for (const i of order) {
      const last = groups[groups.length - 1];
      if (last && values[last[last.length - 1]!]! - values[i]! <= tol * s2) last.push(i);
      else groups.push([i]);
    }
    const sequence = [centroid, ...points];
    for (const g of groups) {
      const basis = g.map((i) => vectors.column(i));
      if (basis.length === 1) {
        const u = basis[0]!;
        let t3 = 0;
        for (const q of centred) t3 += dot(u, q) ** 3;
        let sign = 0;
        if (Math.abs(t3) > tol * k * s2 * s) sign = Math.sign(t3);
        else {
          for (const p of points) {
            const t = dot(u, p);
            if (Math.abs(t) > eps) {
              sign = Math.sign(t);
              break;
            }
          }
        }
        if (sign < 0) for (let a = 0; a < n; a++) u[a] = -u[a]!;
        axes.push(u);
        isFree.push(sign === 0);
        continue;
      }
      const chosen: Float64Array[] = [];
      const project = (v: ArrayLike<number>) => {
        const w = new Float64Array(n);
        for (const b of basis) axpy(w, dot(b, v), b);
        for (let pass = 0; pass < 2; pass++) for (const c of chosen) axpy(w, -dot(c, w), c);
        return w;
      };
      for (const v of sequence) {
        if (chosen.length === basis.length) break;
        const w = project(v);
        const len = Math.sqrt(dot(w, w));
        if (len > eps) chosen.push(w.map((t) => t / len));
      }
      const determined = chosen.length;
      for (let j = 0; j < n && chosen.length < basis.length; j++) {
        const e = new Float64Array(n);
        e[j] = 1;
        const w = project(e);
        const len = Math.sqrt(dot(w, w));
        if (len > 1e-6) chosen.push(w.map((t) => t / len));
      }
      chosen.forEach((c, i) => {
        axes.push(c);
        isFree.push(i >= determined);
      });
    }
  }
  const frame = new Matrix(n, n);
  axes.forEach((u, j) => {
    for (let a = 0; a < n; a++) frame.data[a * n + j] = u[a]!;
  });
  if (special && determinant(frame) < 0) {
    const j = isFree.lastIndexOf(true) >= 0 ? isFree.lastIndexOf(true) : n - 1;
    for (let a = 0; a < n; a++) frame.data[a * n + j] = -frame.data[a * n + j]!;
  }
  return { frame, free: isFree.filter(Boolean).length };
}
