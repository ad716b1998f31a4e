import { Rng } from "@isotropy/core";
import { kronSum, type LinearOperator, Matrix, vstack } from "../src/index.js";

export function randomMatrix(rows: number, cols: number, seed: number | Rng = 1): Matrix {
  const rng = typeof seed === "number" ? new Rng(seed) : seed;
  return new Matrix(rows, cols, rng.normals(rows * cols));
}

/** max |Q^T Q - I|. */
export function orthogonalityError(q: Matrix): number {
  return q.transpose().mul(q).maxAbsDiff(Matrix.identity(q.cols));
}

export function randomSymmetric(n: number, seed = 1): Matrix {
  const a = randomMatrix(n, n, seed);
  return a.add(a.transpose()).scale(0.5);
}

/** A matrix with prescribed singular values: U diag(s) V^T with random orthogonal U, V. */
export function withSingularValues(rows: number, cols: number, s: number[], seed = 1): Matrix {
  const rng = new Rng(seed);
  const u = gramSchmidt(randomMatrix(rows, s.length, rng));
  const v = gramSchmidt(randomMatrix(cols, s.length, rng));
  return u.mul(Matrix.diag(s)).mul(v.transpose());
}

function gramSchmidt(a: Matrix): Matrix {
  const m = a.rows;
  const out = a.clone();
  for (let j = 0; j < a.cols; j++) {
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += out.get(i, k) * out.get(i, j);
        for (let i = 0; i < m; i++) out.set(i, j, out.get(i, j) - d * out.get(i, k));
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += out.get(i, j) ** 2;
    nrm = Math.sqrt(nrm);
    for (let i = 0; i < m; i++) out.set(i, j, out.get(i, j) / nrm);
  }
  return out;
}

/** The so(3) generators L_x, L_y, L_z (antisymmetric 3 x 3). */
export function so3Generators(): Matrix[] {
  return [
    Matrix.fromRows([
      [0, 0, 0],
      [0, 0, -1],
      [0, 1, 0],
    ]),
    Matrix.fromRows([
      [0, 0, 1],
      [0, 0, 0],
      [-1, 0, 0],
    ]),
    Matrix.fromRows([
      [0, -1, 0],
      [1, 0, 0],
      [0, 0, 0],
    ]),
  ];
}

/** The so(3) invariance constraint on V^{⊗k}: vstack over generators of kronSum(A, ..., A). */
export function so3TensorConstraint(k: number): LinearOperator {
  return vstack(...so3Generators().map((g) => kronSum(...Array.from({ length: k }, () => g))));
}
