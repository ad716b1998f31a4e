import type { Group } from "@isotropy/groups";
import { type Rep, Scalar, T, tensor } from "@isotropy/reps";
import { rankCounts } from "./uniform-rep.js";

/** One factor's share of a product tensor: T(p, q) of factor `factor`. */
interface FactorPower {
  factor: number;
  p: number;
  q: number;
}

/** Every way to spread total rank r over the factors (orthogonal factors: q = 0 only). */
function compositions(group: Group, r: number): FactorPower[][] {
  const factors = group.factors!;
  const out: FactorPower[][] = [];
  const walk = (i: number, left: number, acc: FactorPower[]) => {
    if (i === factors.length) {
      if (left === 0) out.push(acc);
      return;
    }
    const orthogonal = factors[i]!.group.isOrthogonal;
    for (let k = left; k >= 0; k--) {
      for (let p = k; p >= (orthogonal ? k : 0); p--) {
        walk(i + 1, left - k, k === 0 ? acc : [...acc, { factor: i, p, q: k - p }]);
      }
    }
  };
  walk(0, r, []);
  return out;
}

function productTensor(group: Group, parts: FactorPower[]): Rep {
  let rep = Scalar(group);
  for (const { factor, p, q } of parts) rep = tensor(rep, T(group, p, q, factor));
  return rep;
}

/**
 * uniformRep for a direct product G1 x ... x Gm. T(r) of the sum V = V[0] + ... + V[m-1] costs
 * (sum d_i)^r channels, so at modest widths it leaves out the mixed tensors (V[0]*V[1], ...)
 * that carry the signal of inputs like points x labels. Instead each rank gets emlp's budget
 * (with d the geometric mean of the factor dimensions), and the ways to spread that rank over
 * the factors take one copy each in turn, smallest first, while one still fits; the channels
 * left over become scalars, so the size is exactly `channels`.
 */
export function productUniformRep(channels: number, group: Group): Rep {
  const dims = group.factors!.map((f) => f.group.d);
  const d = Math.max(
    2,
    Math.round(Math.exp(dims.reduce((a, x) => a + Math.log(x), 0) / dims.length)),
  );
  const counts = rankCounts(channels, d);
  let used = 0;
  let tensors: Rep | null = null;
  for (let r = 1; r < counts.length; r++) {
    let budget = (counts[r] ?? 0) * d ** r;
    const blocks = compositions(group, r)
      .map((parts) => productTensor(group, parts))
      .sort((a, b) => a.size - b.size);
    const copies = blocks.map(() => 0);
    for (let added = true; added; ) {
      added = false;
      blocks.forEach((block, i) => {
        if (block.size <= budget) {
          copies[i]! += 1;
          budget -= block.size;
          added = true;
        }
      });
    }
    blocks.forEach((block, i) => {
      if (copies[i] === 0) return;
      const part = block.times(copies[i]!);
      tensors = tensors === null ? part : tensors.plus(part);
      used += copies[i]! * block.size;
    });
  }
  const scalars = Scalar(group).times(channels - used);
  return tensors === null ? scalars : scalars.plus(tensors);
}
