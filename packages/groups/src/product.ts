import { InvalidArgumentError } from "@isotropy/core";
import type { Matrix } from "@isotropy/linalg";
import { type Group, type GroupFactor, isGroup } from "./group.js";
import { MatrixGroup } from "./matrix-group.js";
import { blockDiag, embedBlock } from "./matrix-utils.js";
import { permEmbed } from "./permutation.js";

/**
 * The direct product G x H x ... acting block-diagonally on R^(dG + dH + ...): each factor's
 * generators embedded in its block (identity, resp. zero, elsewhere). Nested products are
 * flattened, so `factors` lists the simple factors with the offset of their block, and the name
 * is "GxHx...". A single group is returned unchanged.
 *
 * (emlp's `G * H` instead acts on the tensor product R^(dG dH); here the base representation is
 * the direct sum, and representations of each factor are reached through `factors`.)
 */
export function directProduct(...groups: Group[]): Group {
  if (groups.length === 0) {
    throw new InvalidArgumentError(
      "directProduct needs at least one group, e.g. directProduct(SO(3), S(5)).",
    );
  }
  groups.forEach((g, i) => {
    if (!isGroup(g)) throw new InvalidArgumentError(`directProduct: argument ${i} is not a group.`);
  });
  if (groups.length === 1) return groups[0]!;
  const simple = groups.flatMap((g) => (g.factors ? g.factors.map((f) => f.group) : [g]));
  const factors: GroupFactor[] = [];
  let d = 0;
  for (const group of simple) {
    factors.push({ group, offset: d });
    d += group.d;
  }
  const all = (pick: (g: Group) => readonly Matrix[], identity: boolean) => () =>
    factors.flatMap(({ group, offset }) =>
      pick(group).map((m) => embedBlock(m, d, offset, identity)),
    );
  const isPermutation = simple.every((g) => g.isPermutation && g.permutationGenerators);
  const finite = simple.every((g) => g.isFinite);
  return new MatrixGroup({
    name: simple.map((g) => g.name).join("x"),
    d,
    discrete: all((g) => g.discreteGenerators, true),
    lie: all((g) => g.lieGenerators, false),
    ...(isPermutation
      ? {
          permutations: factors.flatMap(({ group, offset }) =>
            group.permutationGenerators!.map((p) => permEmbed(p, d, offset)),
          ),
        }
      : {}),
    isOrthogonal: simple.every((g) => g.isOrthogonal),
    isFinite: finite,
    factors,
    ...(finite
      ? {
          order: () => simple.reduce((acc, g) => acc * g.order(), 1n),
          elements: (limit: number) => {
            let out: Matrix[][] = [[]];
            for (const g of simple) {
              const els = g.elements(limit);
              out = out.flatMap((prefix) => els.map((e) => [...prefix, e]));
            }
            return out.map(blockDiag);
          },
        }
      : {}),
    sample: (rng) => blockDiag(simple.map((g) => g.sample(rng))),
  });
}
