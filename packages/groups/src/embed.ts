import { InvalidArgumentError } from "@isotropy/core";
import { intArg, MAX_FINITE_DIM } from "./args.js";
import { type Group, isGroup } from "./group.js";
import { MatrixGroup } from "./matrix-group.js";
import { embedBlock } from "./matrix-utils.js";
import { permEmbed } from "./permutation.js";

/** A half-open coordinate range [start, stop). */
export interface CoordinateSlice {
  readonly start: number;
  readonly stop: number;
}

/**
 * G acting on the coordinates [start, stop) of R^d and as the identity elsewhere (emlp's
 * Embed): discrete generators are embedded with identity around them, Lie generators with
 * zeros. stop - start must equal G.d. Name: "Embed(G,d,start:stop)".
 */
export function Embed(group: Group, d: number, slice: CoordinateSlice): Group {
  if (!isGroup(group)) {
    throw new InvalidArgumentError("Embed(G, d, slice): G must be a group (e.g. SO(2)).");
  }
  intArg("Embed(G, d, slice)", "d", d, 1, MAX_FINITE_DIM);
  const { start, stop } = slice ?? ({} as CoordinateSlice);
  if (
    !Number.isInteger(start) ||
    !Number.isInteger(stop) ||
    start < 0 ||
    stop > d ||
    start >= stop
  ) {
    throw new InvalidArgumentError(
      `Embed(${group.name}, ${d}, slice): the slice must satisfy 0 <= start < stop <= ${d} ` +
        `with integers, got ${JSON.stringify(slice)}.`,
    );
  }
  if (stop - start !== group.d) {
    throw new InvalidArgumentError(
      `Embed(${group.name}, ${d}, ${start}:${stop}): the slice has ${stop - start} coordinates ` +
        `but ${group.name} acts on R^${group.d}; use a slice of length ${group.d}.`,
    );
  }
  const up = (m: Parameters<typeof embedBlock>[0]) => embedBlock(m, d, start, true);
  return new MatrixGroup({
    name: `Embed(${group.name},${d},${start}:${stop})`,
    d,
    discrete: () => group.discreteGenerators.map(up),
    lie: () => group.lieGenerators.map((a) => embedBlock(a, d, start, false)),
    ...(group.isPermutation && group.permutationGenerators
      ? { permutations: group.permutationGenerators.map((p) => permEmbed(p, d, start)) }
      : {}),
    isOrthogonal: group.isOrthogonal,
    isFinite: group.isFinite,
    ...(group.isFinite
      ? { order: () => group.order(), elements: (limit: number) => group.elements(limit).map(up) }
      : {}),
    sample: (rng) => up(group.sample(rng)),
  });
}
