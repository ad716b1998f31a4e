import { createRegistry, type Registry } from "@isotropy/core";
import { directProduct, type Group, plugin as groupsPlugin } from "@isotropy/groups";
import { dual, mapRep, multiple, power, Scalar, sum, T, tensor, V } from "./algebra.js";
import {
  type GroupBuilder,
  parseGroup as parseGroupWith,
  parseRepMap as parseRepMapWith,
  parseRep as parseRepWith,
  type RepBuilder,
  registryGroupBuilder,
} from "./grammar/index.js";
import type { Rep } from "./rep.js";

// Without a registry, the built-in groups and reps are known (a private registry: the default
// one belongs to the `isotropy` package and the user).
let builtins: Registry | undefined;
function builtinRegistry(): Registry {
  builtins ??= createRegistry().use(groupsPlugin);
  return builtins;
}

/** Parses a group, e.g. `SO(3)`, `O(1,3)`, `SO(3)xS(5)` (see GRAMMAR.md). */
export function parseGroup(text: string, registry: Registry = builtinRegistry()): Group {
  const builder: GroupBuilder<Group> = registryGroupBuilder<Group>(registry, (factors) =>
    directProduct(...factors),
  );
  return parseGroupWith(text, builder);
}

/** The rep algebra of one group, for the grammar. Names of `reps` registry entries resolve too. */
export function repBuilder(group: Group, registry?: Registry): RepBuilder<Rep> {
  return {
    V: (factor) => V(group, factor),
    scalar: () => Scalar(group),
    T: (p, q, factor) => T(group, p, q, factor),
    dual,
    sum,
    multiple,
    tensor,
    power,
    map: mapRep,
    named: (name) =>
      registry?.has("reps", name) ? registry.create<Rep>("reps", name, { group }) : undefined,
    knownNames: () => ["V", "Scalar", "T", ...(registry?.list("reps").map((e) => e.name) ?? [])],
  };
}

/** Parses a representation of `group`, e.g. `2*V + V**2`, `T(2,1)`, `V >> T(2)`. */
export function parseRep(text: string, group: Group, registry?: Registry): Rep {
  return parseRepWith(text, repBuilder(group, registry));
}

/** Parses `R1 >> R2` into its input and output reps. */
export function parseRepMap(
  text: string,
  group: Group,
  registry?: Registry,
): { from: Rep; to: Rep } {
  return parseRepMapWith(text, repBuilder(group, registry));
}
