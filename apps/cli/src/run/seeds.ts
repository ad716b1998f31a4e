import { InvalidArgumentError } from "isotropy";

/**
 * The seeds of `isotropy compare`: `count` consecutive seeds from `first` (default 0), so that
 * seeds 0-2 and 3-5 of one table can run in two processes.
 */
export function compareSeeds(count: string, first = "0"): number[] {
  const n = Number(count);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`--seeds must be an integer >= 1, got "${count}".`);
  }
  const s = Number(first);
  if (!Number.isSafeInteger(s) || s < 0) {
    throw new InvalidArgumentError(`--first-seed must be an integer >= 0, got "${first}".`);
  }
  return Array.from({ length: n }, (_, i) => s + i);
}
