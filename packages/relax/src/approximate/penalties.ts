import { InvalidArgumentError } from "@isotropy/core";

/**
 * Checks that a penalty weight is a finite number >= 0; throws `InvalidArgumentError` naming
 * the parameter otherwise.
 */
export function checkPenaltyWeight(name: string, value: number): number {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new InvalidArgumentError(
      `The penalty weight ${name} must be a finite number >= 0, got ${String(value)}.`,
    );
  }
  return value;
}

/** Checks a positive integer parameter; throws `InvalidArgumentError` naming it otherwise. */
export function checkPositiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}
