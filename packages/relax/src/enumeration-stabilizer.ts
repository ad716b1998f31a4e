import { LimitExceededError } from "@isotropy/core";
import { type Group, permutationOf } from "@isotropy/groups";
import type { Rep } from "@isotropy/reps";
import { rhoOperator } from "@isotropy/reps";
import { greedyMatrixGenerators } from "./matrix-groups.js";
import { distance, norm, type ResolvedOptions } from "./options.js";
import { orbitsOf } from "./permutations.js";
import { Stabilizer, trivialAlgebra } from "./stabilizer-group.js";

/** The elements of a finite group, refusing groups past the enumeration limit. */
export function enumerateGroup(group: Group, limit: number, why: string) {
  const order = group.order();
  if (order > BigInt(limit)) {
    throw new LimitExceededError(
      `${group.name} has ${order} elements, more than the enumeration limit of ${limit} (${why}); ` +
        `pass a larger limit.`,
    );
  }
  return group.elements(limit);
}

/** Stabilizer of x in a finite group by testing every element. */
export function enumerationStabilizer(
  group: Group,
  rep: Rep,
  x: Float64Array,
  opts: ResolvedOptions,
): Stabilizer {
  const all = enumerateGroup(
    group,
    opts.limit,
    "its stabilizers are found by testing every element",
  );
  const bound = opts.tol * norm(x);
  const kept = all.filter((g) => distance(rhoOperator(rep, g).matvec(x), x) <= bound);
  const generators = greedyMatrixGenerators(kept, all);
  const perms = group.isPermutation ? generators.map((g) => permutationOf(g)!) : null;
  return new Stabilizer({
    group,
    rep,
    x,
    tol: opts.tol,
    method: "enumeration",
    generators,
    permutations: perms,
    order: BigInt(kept.length),
    algebra: trivialAlgebra(0),
    discreteComplete: true,
    orbits: perms ? orbitsOf(group.d, perms) : null,
    model: { kind: "list", elements: kept },
    note: `every element of ${group.name} (${all.length}) tested`,
  });
}
