import { InvalidArgumentError, type Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { parseRep, type Rep, V } from "@isotropy/reps";
import { isGeneric } from "../orbit.js";

/**
 * The default representation of symmetry-breaking objects for `group`: one generic element of it
 * has a trivial stabilizer. Per factor (or for the group itself): V for permutation groups (a
 * vector with distinct entries), d copies of V otherwise (a generic frame of d vectors, trivial
 * under O(d), SO(d) and any finite matrix group acting faithfully).
 */
export function defaultBreakingRep(group: Group): Rep {
  const copies = (g: Group) => (g.isPermutation ? 1 : g.d);
  if (!group.factors) return V(group).times(copies(group));
  return group.factors
    .map((f, i) => V(group, i).times(copies(f.group)))
    .reduce((a, b) => a.plus(b));
}

/** A Rep, or its text in the rep grammar, resolved against `group` (default: `defaultBreakingRep`). */
export function resolveBreakingRep(group: Group, rep?: string | Rep): Rep {
  if (rep === undefined) return defaultBreakingRep(group);
  const r = typeof rep === "string" ? parseRep(rep, group) : rep;
  if (r.group.name !== group.name) {
    throw new InvalidArgumentError(
      `The breaking representation ${r.toString()} belongs to ${r.group.name}, not to ${group.name}.`,
    );
  }
  return r;
}

/**
 * A random b0 in `rep` whose stabilizer in `group` is trivial (standard normal entries; a few
 * draws are tried). `InvalidArgumentError` when none is found: the representation cannot break
 * every symmetry (e.g. a single vector under O(2), which a reflection fixes).
 */
export function genericBreakingObject(group: Group, rep: Rep, rng: Rng, tol = 1e-6): Float64Array {
  for (let attempt = 0; attempt < 5; attempt++) {
    const b0 = rng.normals(rep.size);
    if (isGeneric(group, rep, b0, { tol })) return b0;
  }
  throw new InvalidArgumentError(
    `No element of ${rep.toString()} with a trivial stabilizer in ${group.name} was found: ` +
      `a symmetry-breaking object must break every symmetry; choose a larger breaking representation.`,
  );
}
