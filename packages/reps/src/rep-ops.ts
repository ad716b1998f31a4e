import { InvalidArgumentError } from "@isotropy/core";
import type { Rep } from "./rep.js";

/** The algebra behind Rep's fluent methods, bound late so that rep.ts imports no subclass. */
export interface RepOps {
  dual(r: Rep): Rep;
  sum(a: Rep, b: Rep): Rep;
  multiple(n: number, r: Rep): Rep;
  tensor(a: Rep, b: Rep): Rep;
  power(r: Rep, k: number): Rep;
}

let ops: RepOps | undefined;

export function bindRepOps(o: RepOps): void {
  ops = o;
}

export function repOps(): RepOps {
  if (!ops)
    throw new InvalidArgumentError(
      "The representation algebra is not loaded; import @isotropy/reps.",
    );
  return ops;
}
