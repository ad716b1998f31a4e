import { InvalidArgumentError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import type { Rep } from "@isotropy/reps";
import { enumerationStabilizer } from "./enumeration-stabilizer.js";
import { indexActionOf } from "./index-action.js";
import { lieStabilizer } from "./lie-stabilizer.js";
import { checkInput, resolveOptions, type SymmetryOptions } from "./options.js";
import { permutationStabilizer } from "./permutation-stabilizer.js";
import type { Stabilizer } from "./stabilizer-group.js";

/**
 * The stabilizer of x in `group` acting through `rep`: the g with ||rho(g) x - x|| <= tol ||x||.
 *
 * - Permutation groups acting on tensor powers of V (vectors, point sets k*V, graphs T(2), ...):
 *   S(n) by colour classes or by partition refinement and backtracking (graph automorphisms);
 *   other permutation groups by intersecting that with the group (enumeration within `limit`).
 * - Other finite groups: every element tested (`LimitExceededError` past `limit`).
 * - Lie groups: the Lie algebra of the stabilizer and its discrete part (see `lieStabilizer`).
 *
 * Errors: `InvalidArgumentError` for tol outside (0, 1), a rep of another group, non-finite x, a
 * group that is neither finite nor Lie; `ShapeError` for x of the wrong length;
 * `LimitExceededError` when the work would pass `limit` or `nodeLimit`.
 */
export function stabilizer(
  group: Group,
  rep: Rep,
  x: ArrayLike<number>,
  opts: SymmetryOptions = {},
): Stabilizer {
  const o = resolveOptions(opts);
  const xv = checkInput(group, rep, x);
  if (group.lieGenerators.length > 0) return lieStabilizer(group, rep, xv, o);
  const action = indexActionOf(group, rep);
  if (action) return permutationStabilizer(group, rep, xv, action, o);
  if (!group.isFinite) {
    throw new InvalidArgumentError(
      `${group.name} is neither known to be finite nor a Lie group; its stabilizers cannot be computed.`,
    );
  }
  return enumerationStabilizer(group, rep, xv, o);
}
