import { InvalidArgumentError } from "@isotropy/core";
import { Matrix } from "./matrix.js";

/**
 * An orthonormal basis (m x r) of the span of a's columns, in column order: column j is kept when
 * the part of it orthogonal to the columns kept before has norm above `tol` times its own norm
 * (it is not within an angle of about `tol` of their span); zero columns are dropped.
 *
 * Modified Gram-Schmidt with a second, full pass ("twice is enough", Giraud et al. 2005), so the
 * result is orthonormal to rounding even when columns are nearly dependent.
 */
export function orthonormalizeColumns(a: Matrix, tol = 1e-10): Matrix {
  if (!(tol >= 0 && tol < 1)) {
    throw new InvalidArgumentError(`orthonormalizeColumns: tol must lie in [0, 1), got ${tol}.`);
  }
  const m = a.rows;
  const cols = a.transpose().data; // column j is contiguous at j * m
  const basis: Float64Array[] = [];
  for (let j = 0; j < a.cols; j++) {
    const v = cols.subarray(j * m, (j + 1) * m);
    const norm0 = norm(v);
    if (norm0 === 0) continue;
    for (let pass = 0; pass < 2; pass++) {
      for (const q of basis) {
        let d = 0;
        for (let i = 0; i < m; i++) d += q[i]! * v[i]!;
        for (let i = 0; i < m; i++) v[i]! -= d * q[i]!;
      }
    }
    const rest = norm(v);
    if (rest <= tol * norm0 || rest === 0) continue;
    const q = new Float64Array(m);
    for (let i = 0; i < m; i++) q[i] = v[i]! / rest;
    basis.push(q);
  }
  const out = new Matrix(m, basis.length);
  basis.forEach((q, k) => {
    for (let i = 0; i < m; i++) out.data[i * basis.length + k] = q[i]!;
  });
  return out;
}

function norm(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}
