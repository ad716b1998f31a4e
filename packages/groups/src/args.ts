import { InvalidArgumentError, LimitExceededError } from "@isotropy/core";

/** Largest base dimension of the dense Lie families (their generators are stored densely). */
export const MAX_LIE_DIM = 64;
/** Largest base dimension of the finite families. */
export const MAX_FINITE_DIM = 4096;

/**
 * Validates an integer parameter of a group family: `InvalidArgumentError` below `min` or when
 * not an integer, `LimitExceededError` above `max`.
 */
export function intArg(
  call: string,
  what: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw new InvalidArgumentError(`${call}: ${what} must be an integer, got ${String(value)}.`);
  }
  if (value < min) {
    throw new InvalidArgumentError(`${call}: ${what} must be >= ${min}, got ${value}.`);
  }
  if (value > max) {
    throw new LimitExceededError(
      `${call}: ${what} = ${value} is above the supported maximum of ${max} (generators are dense ` +
        `matrices); for larger groups build the generators yourself with groupFromGenerators.`,
    );
  }
  return value;
}

export function factorial(n: number): bigint {
  let f = 1n;
  for (let i = 2; i <= n; i++) f *= BigInt(i);
  return f;
}
