import { Matrix } from "../matrix.js";
import type { LinearOperator } from "../operator.js";
import { rmatmatOf } from "./base.js";
import { DenseOperator } from "./dense.js";
import { IdentityOperator } from "./identity.js";

/** Factors up to this many entries are densified into sparse rows for the fast kernel. */
const DENSIFY_LIMIT = 1 << 16;

/** A matrix as compressed sparse rows: the so(n) generators and permutations are mostly zeros. */
interface SparseRows {
  readonly start: Int32Array;
  readonly index: Int32Array;
  readonly value: Float64Array;
}

/**
 * One factor of a Kronecker product or sum, applied along one mode of a tensor without forming
 * the product: out[l, i, r] += sum_j F[i, j] x[l, j, r], with `right` holding the trailing modes
 * and the block of vectors. Identity factors cost nothing; small factors run on sparse rows;
 * large operator factors gather their fibres into one matmat.
 */
export class ModeFactor {
  readonly rows: number;
  readonly cols: number;
  readonly isIdentity: boolean;
  private readonly sparse: SparseRows | null;
  private readonly sparseT: SparseRows | null;

  constructor(readonly op: LinearOperator) {
    this.rows = op.rows;
    this.cols = op.cols;
    let m: Matrix | null = null;
    if (op instanceof DenseOperator) m = op.matrix;
    else if (!(op instanceof IdentityOperator) && op.rows * op.cols <= DENSIFY_LIMIT) {
      m = op.toDense();
    }
    this.isIdentity = op instanceof IdentityOperator || (m !== null && isIdentityMatrix(m));
    this.sparse = m && toSparseRows(m);
    this.sparseT = m && toSparseRows(m.transpose());
  }

  /** Output size of the mode (rows, or cols when transposed). */
  outSize(transpose: boolean): number {
    return transpose ? this.cols : this.rows;
  }

  inSize(transpose: boolean): number {
    return transpose ? this.rows : this.cols;
  }

  /** Accumulates the mode product into out (left x outSize x right). */
  applyAdd(
    x: Float64Array,
    left: number,
    right: number,
    out: Float64Array,
    transpose: boolean,
  ): void {
    const d = this.inSize(transpose);
    const p = this.outSize(transpose);
    if (this.isIdentity) {
      for (let i = 0; i < out.length; i++) out[i]! += x[i]!;
      return;
    }
    const s = transpose ? this.sparseT : this.sparse;
    if (s) {
      sparseModeProduct(s, p, d, x, left, right, out);
      return;
    }
    // Gather fibres as columns of a d x (left * right) matrix, apply once, scatter back.
    const cols = left * right;
    const g = new Matrix(d, cols);
    for (let l = 0; l < left; l++) {
      for (let j = 0; j < d; j++) {
        const src = (l * d + j) * right;
        g.data.set(x.subarray(src, src + right), j * cols + l * right);
      }
    }
    const y = transpose ? rmatmatOf(this.op, g) : this.op.matmat(g);
    for (let l = 0; l < left; l++) {
      for (let i = 0; i < p; i++) {
        const dst = (l * p + i) * right;
        const src = i * cols + l * right;
        for (let r = 0; r < right; r++) out[dst + r]! += y.data[src + r]!;
      }
    }
  }
}

function sparseModeProduct(
  s: SparseRows,
  p: number,
  d: number,
  x: Float64Array,
  left: number,
  right: number,
  out: Float64Array,
): void {
  const { start, index, value } = s;
  if (right === 1) {
    for (let l = 0; l < left; l++) {
      const xo = l * d;
      const oo = l * p;
      for (let i = 0; i < p; i++) {
        let acc = 0;
        for (let t = start[i]!; t < start[i + 1]!; t++) acc += value[t]! * x[xo + index[t]!]!;
        out[oo + i]! += acc;
      }
    }
    return;
  }
  for (let l = 0; l < left; l++) {
    const xo = l * d * right;
    const oo = l * p * right;
    for (let i = 0; i < p; i++) {
      const ob = oo + i * right;
      for (let t = start[i]!; t < start[i + 1]!; t++) {
        const a = value[t]!;
        const xb = xo + index[t]! * right;
        for (let r = 0; r < right; r++) out[ob + r]! += a * x[xb + r]!;
      }
    }
  }
}

function toSparseRows(m: Matrix): SparseRows {
  const start = new Int32Array(m.rows + 1);
  let nnz = 0;
  for (const v of m.data) if (v !== 0) nnz++;
  const index = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  let t = 0;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      if (v !== 0) {
        index[t] = j;
        value[t++] = v;
      }
    }
    start[i + 1] = t;
  }
  return { start, index, value };
}

function isIdentityMatrix(m: Matrix): boolean {
  if (m.rows !== m.cols) return false;
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) if (m.data[i * m.cols + j] !== (i === j ? 1 : 0)) return false;
  }
  return true;
}
