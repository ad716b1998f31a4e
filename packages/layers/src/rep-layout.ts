import type { Matrix } from "@isotropy/linalg";
import { type Rep, TensorRep } from "@isotropy/reps";

/** One copy of a leaf inside a rep: where its components sit in the rep's own layout. */
export interface LeafInstance {
  readonly leaf: Rep;
  /** positions[k] is the rep-layout position of the leaf's component k. */
  readonly positions: Int32Array;
}

/** All copies of one distinct leaf (equal keys) inside a rep, in canonical order. */
export interface LeafType {
  readonly leaf: Rep;
  readonly copies: readonly Int32Array[];
}

/** The leaves of `rep` in canonical order, each with its positions in the rep's layout. */
export function leafInstances(rep: Rep): LeafInstance[] {
  const { leaves, perm } = rep.decompose();
  const out: LeafInstance[] = [];
  let off = 0;
  for (const leaf of leaves) {
    const positions = new Int32Array(leaf.size);
    for (let k = 0; k < leaf.size; k++) positions[k] = perm ? perm[off + k]! : off + k;
    out.push({ leaf, positions });
    off += leaf.size;
  }
  return out;
}

/** The distinct leaves of `rep` (by key), in order of first appearance, with all their copies. */
export function leafTypes(rep: Rep): LeafType[] {
  const byKey = new Map<string, { leaf: Rep; copies: Int32Array[] }>();
  for (const inst of leafInstances(rep)) {
    const e = byKey.get(inst.leaf.key);
    if (e) e.copies.push(inst.positions);
    else byKey.set(inst.leaf.key, { leaf: inst.leaf, copies: [inst.positions] });
  }
  return [...byKey.values()];
}

/** The trivial representation as a leaf (a tensor of rank 0). */
export function isScalarLeaf(leaf: Rep): boolean {
  return leaf instanceof TensorRep && leaf.factors.length === 0;
}

/**
 * A leaf on which the group acts by permuting coordinates (emlp's `is_permutation`): pointwise
 * nonlinearities commute with it, so it needs no gate.
 */
export function isPermutationLeaf(leaf: Rep): boolean {
  if (leaf instanceof TensorRep) return leaf.isPermutation;
  const g = leaf.group;
  if (g.lieGenerators.length > 0) return false;
  return g.discreteGenerators.every((h) => isPermutationMatrix(leaf.rho(h)));
}

function isPermutationMatrix(m: Matrix): boolean {
  if (m.rows !== m.cols) return false;
  const colSeen = new Uint8Array(m.cols);
  for (let i = 0; i < m.rows; i++) {
    let ones = 0;
    for (let j = 0; j < m.cols; j++) {
      const v = m.data[i * m.cols + j]!;
      if (v === 1) {
        ones++;
        if (colSeen[j]) return false;
        colSeen[j] = 1;
      } else if (v !== 0) return false;
    }
    if (ones !== 1) return false;
  }
  return true;
}
