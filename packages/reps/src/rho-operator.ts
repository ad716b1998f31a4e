import type { Group } from "@isotropy/groups";
import { dense, inverse, kron, type LinearOperator, Matrix } from "@isotropy/linalg";
import type { Rep } from "./rep.js";
import { factorGroup, TensorRep } from "./tensor-rep.js";

/**
 * rho(g) as a lazy operator: tensor leaves apply their Kronecker factors one axis at a time, so
 * T(8) of SO(3) (6561 x 6561) is never formed; sums apply leaf by leaf through their layout
 * permutation. Opaque leaves fall back to their dense rho.
 */
export function rhoOperator(rep: Rep, g: Matrix): LinearOperator {
  const { leaves, perm } = rep.decompose();
  const ops = leaves.map((leaf) => leafRho(leaf, g));
  if (ops.length === 1 && !perm) return ops[0]!;
  return new PermutedBlockDiag(ops, perm, rep.size);
}

function leafRho(leaf: Rep, g: Matrix): LinearOperator {
  if (!(leaf instanceof TensorRep)) return dense(leaf.rho(g));
  if (leaf.factors.length === 0) return dense(Matrix.identity(1));
  const blocks = new Map<string, LinearOperator>();
  const factorOps = leaf.factors.map((f) => {
    const key = `${f.factor}:${f.dual}`;
    let op = blocks.get(key);
    if (!op) {
      const b = block(leaf.group, f.factor, g);
      op = dense(f.dual ? inverse(b).transpose() : b);
      blocks.set(key, op);
    }
    return op;
  });
  return factorOps.length === 1 ? factorOps[0]! : kron(...factorOps);
}

function block(group: Group, factor: number, g: Matrix): Matrix {
  if (!group.factors) return g;
  const off = group.factors[factor]!.offset;
  const d = factorGroup(group, factor).d;
  const b = new Matrix(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) b.data[i * d + j] = g.get(off + i, off + j);
  return b;
}

/** P · blockdiag(ops) · P^T for the layout permutation P of a sum. */
class PermutedBlockDiag implements LinearOperator {
  readonly rows: number;
  readonly cols: number;

  constructor(
    private readonly ops: readonly LinearOperator[],
    private readonly perm: Int32Array | null,
    n: number,
    private readonly transposed = false,
  ) {
    this.rows = n;
    this.cols = n;
  }

  matvec(x: Float64Array): Float64Array {
    const y = new Float64Array(this.rows);
    const p = this.perm;
    let off = 0;
    for (const op of this.ops) {
      const m = op.cols;
      const xs = new Float64Array(m);
      for (let i = 0; i < m; i++) xs[i] = x[p ? p[off + i]! : off + i]!;
      const ys = this.transposed ? op.rmatvec(xs) : op.matvec(xs);
      for (let i = 0; i < m; i++) y[p ? p[off + i]! : off + i] = ys[i]!;
      off += m;
    }
    return y;
  }

  rmatvec(x: Float64Array): Float64Array {
    return this.transpose().matvec(x);
  }

  matmat(x: Matrix): Matrix {
    const out = new Matrix(this.rows, x.cols);
    for (let j = 0; j < x.cols; j++) {
      const col = this.matvec(x.column(j));
      for (let i = 0; i < this.rows; i++) out.data[i * x.cols + j] = col[i]!;
    }
    return out;
  }

  transpose(): LinearOperator {
    return new PermutedBlockDiag(this.ops, this.perm, this.rows, !this.transposed);
  }

  toDense(): Matrix {
    return this.matmat(Matrix.identity(this.cols));
  }
}
