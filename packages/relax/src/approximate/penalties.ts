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

/** Checks that a parameter is one of its choices; throws `InvalidArgumentError` naming it otherwise. */
export function checkChoice<T extends string>(
  name: string,
  value: string,
  choices: readonly T[],
): T {
  if (!(choices as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(
      `${name} must be ${choices.map((c) => JSON.stringify(c)).join(" or ")}, got ${JSON.stringify(value)}.`,
    );
  }
  return value as T;
}
