import type { Group } from "@isotropy/groups";
import {
  BlockDiagOperator,
  ComposedOperator,
  dense,
  inverse,
  kron,
  type LinearOperator,
  Matrix,
  permutationOp,
} from "@isotropy/linalg";
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
  if (!perm) return new BlockDiagOperator(ops);
  return new PermutedBlockDiag(ops, perm);
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

/**
 * P^T blockdiag(ops) P for the layout permutation P of a sum: leaf i acts on x[perm[off_i ..]].
 * Products go block by block through linalg's operators; the dense form scatters each leaf's
 * dense block, so a per-sample rho (canonicalization) costs about its own size.
 */
class PermutedBlockDiag extends ComposedOperator {
  constructor(
    private readonly leaves: readonly LinearOperator[],
    private readonly perm: Int32Array,
  ) {
    const p = permutationOp(perm);
    super([p.transpose(), new BlockDiagOperator(leaves), p]);
  }

  override toDense(): Matrix {
    const n = this.rows;
    const out = new Matrix(n, n);
    const p = this.perm;
    let off = 0;
    for (const op of this.leaves) {
      const b = op.toDense().data;
      const m = op.rows;
      for (let i = 0; i < m; i++) {
        const row = p[off + i]! * n;
        for (let j = 0; j < m; j++) out.data[row + p[off + j]!] = b[i * m + j]!;
      }
      off += m;
    }
    return out;
  }
}
