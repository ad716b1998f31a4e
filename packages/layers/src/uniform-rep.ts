import { InvalidArgumentError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { type Rep, Scalar, T } from "@isotropy/reps";
import { productUniformRep } from "./product-uniform-rep.js";

/** The largest rank r with (r + 1) d^r <= ch (emlp's `lambertW`); -1 when ch < 1. */
function maxRank(ch: number, d: number): number {
  let r = 0;
  while ((r + 1) * d ** r <= ch) r++;
  return r - 1;
}

/**
 * How many tensors of each total rank emlp's `uniform_rep` allocates to `channels`: repeatedly
 * take the largest rank r whose block (r + 1) d^r still fits and add d^(r-k) tensors of each
 * rank k <= r (equal channel counts per rank). The counts always fill `channels` exactly.
 */
export function rankCounts(channels: number, d: number): number[] {
  if (!Number.isInteger(channels) || channels < 1) {
    throw new InvalidArgumentError(
      `uniformRep needs a positive integer channel count, got ${channels}.`,
    );
  }
  const counts: number[] = [];
  let ch = channels;
  while (ch > 0) {
    const r = maxRank(ch, d);
    for (let k = 0; k <= r; k++) counts[k] = (counts[k] ?? 0) + d ** (r - k);
    ch -= (r + 1) * d ** r;
  }
  return Array.from(counts, (c) => c ?? 0);
}

/**
 * Splits `n` tensors of rank r over T(p, r - p), p = r..0, in proportion to the binomial
 * weights C(r, p) / 2^r, deterministically: floors of the quotas, then the leftover one by one to
 * the largest remainders (ties: larger p first). emlp draws the leftover at random.
 */
export function binomialSplit(n: number, r: number): number[] {
  const total = 2 ** r;
  const quota = Array.from({ length: r + 1 }, (_, p) => (n * binomial(r, p)) / total);
  const counts = quota.map(Math.floor);
  let left = n - counts.reduce((a, b) => a + b, 0);
  const order = quota
    .map((q, p) => ({ p, rem: q - Math.floor(q) }))
    .sort((a, b) => b.rem - a.rem || b.p - a.p);
  for (const { p } of order) {
    if (left === 0) break;
    counts[p]!++;
    left--;
  }
  return counts;
}

/**
 * A deterministic hidden representation of about `channels` coordinates (exactly `channels`),
 * spread evenly over tensor ranks as emlp's `uniform_rep`. For O(3) and 384 channels:
 * 102 Scalar + 34 V + 11 T(2) + 3 T(3). Rank r tensors are T(r) for orthogonal groups; for other
 * groups they split over T(p, r - p) by `binomialSplit` (where emlp samples the split). Layout:
 * by rank, then p descending. Direct products spread each rank over their factors instead
 * (`productUniformRep`), so that mixed tensors like V[0]*V[1] appear at modest widths.
 */
export function uniformRep(channels: number, group: Group): Rep {
  if (group.factors !== undefined && group.factors.length > 1) {
    rankCounts(channels, group.d); // checks the channel count
    return productUniformRep(channels, group);
  }
  const counts = rankCounts(channels, group.d);
  let rep: Rep = Scalar(group).times(counts[0] ?? 0);
  for (let r = 1; r < counts.length; r++) {
    const n = counts[r]!;
    if (n === 0) continue;
    if (group.isOrthogonal) {
      rep = rep.plus(T(group, r).times(n));
      continue;
    }
    const split = binomialSplit(n, r);
    for (let p = r; p >= 0; p--)
      if (split[p]! > 0) rep = rep.plus(T(group, p, r - p).times(split[p]!));
  }
  return rep;
}

function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}
