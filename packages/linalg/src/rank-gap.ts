import { ConvergenceError, InvalidArgumentError } from "@isotropy/core";

/** Singular values below this (relative to the largest) are rounding noise in double precision. */
export const NOISE_FLOOR = 16 * Number.EPSILON;

export interface RankTolerance {
  /** Singular values at most rtol * sigma_max count as zero. */
  readonly rtol: number;
  /** The smallest nonzero must exceed the largest zero by at least this factor. */
  readonly gapRatio: number;
}

export function checkTolerance(what: string, t: RankTolerance): void {
  if (!(t.rtol > 0 && t.rtol < 1)) {
    throw new InvalidArgumentError(`${what}: rtol must lie in (0, 1), got ${t.rtol}.`);
  }
  if (!(t.gapRatio >= 1)) {
    throw new InvalidArgumentError(`${what}: gapRatio must be at least 1, got ${t.gapRatio}.`);
  }
}

/**
 * The number of zero singular values, given relative singular values sigma_i / sigma_max in
 * ascending order. Zero means at most rtol; the decision stands only if the smallest nonzero
 * value is at least gapRatio times the largest zero one (or than the noise floor, when all zeros
 * are below it). Otherwise the dimension is not determined by the data: ConvergenceError, with
 * the values around the threshold, rather than a guess.
 */
export function decideNullity(what: string, relSigma: ArrayLike<number>, t: RankTolerance): number {
  let r = 0;
  while (r < relSigma.length && relSigma[r]! <= t.rtol) r++;
  if (r === relSigma.length) return r;
  const zeroMax = r > 0 ? relSigma[r - 1]! : 0;
  const nonzeroMin = relSigma[r]!;
  if (nonzeroMin < t.gapRatio * Math.max(zeroMax, NOISE_FLOOR)) {
    const lo = Math.max(0, r - 4);
    const near = Array.from({ length: Math.min(relSigma.length, r + 4) - lo }, (_, i) =>
      relSigma[lo + i]!.toExponential(2),
    );
    throw new ConvergenceError(
      `${what}: no clear gap in the singular values at the rank threshold. With rtol ` +
        `${t.rtol} the largest value counted as zero is ${zeroMax.toExponential(2)} and the ` +
        `smallest counted as nonzero is ${nonzeroMin.toExponential(2)} (relative to the largest ` +
        `singular value), less than gapRatio ${t.gapRatio} apart; values around the threshold, ` +
        `ascending from number ${lo + 1}: [${near.join(", ")}]. The constraints may be nearly ` +
        `but not exactly satisfiable (e.g. generators given to few digits); fix them, or choose ` +
        `rtol and gapRatio explicitly.`,
    );
  }
  return r;
}
