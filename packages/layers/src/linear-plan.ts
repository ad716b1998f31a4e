import type { AssemblyPlan, LinearPlan } from "@isotropy/core";
import type { EquivariantBasis } from "@isotropy/reps";

/**
 * The fused-kernel plan (core's LINEAR_KERNEL) of an equivariant basis: per block pair, the
 * columns of x and y its copies occupy and the pair's basis, shared with `assembly` (the same
 * scaled B_j, so both paths compute the same map from the same coefficients).
 */
export function linearPlan(basis: EquivariantBasis, assembly: AssemblyPlan): LinearPlan {
  const columns = (offsets: readonly number[], size: number, pos: (k: number) => number) => {
    const map = new Int32Array(offsets.length * size);
    offsets.forEach((start, c) => {
      for (let a = 0; a < size; a++) map[c * size + a] = pos(start + a);
    });
    return map;
  };
  return {
    inputSize: basis.repIn.size,
    outputSize: basis.repOut.size,
    pairs: basis.pairs.map((p, k) => ({
      outSize: p.outLeaf.size,
      inSize: p.inLeaf.size,
      rank: p.basis.dim,
      outCopies: p.outOffsets.length,
      inCopies: p.inOffsets.length,
      basisT: (assembly.pairs[k] as AssemblyPlan["pairs"][number]).basisT,
      out: columns(p.outOffsets, p.outLeaf.size, (k) => basis.outPos(k)),
      in: columns(p.inOffsets, p.inLeaf.size, (k) => basis.inPos(k)),
    })),
  };
}
