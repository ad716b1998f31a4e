import { InvalidArgumentError, LimitExceededError, rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { type Rep, rhoOperator } from "@isotropy/reps";
import { enumerateGroup } from "./enumeration-stabilizer.js";
import { coordinateMap, indexActionOf } from "./index-action.js";
import {
  checkInput,
  distance,
  entryTolerance,
  norm,
  resolveOptions,
  type SymmetryOptions,
} from "./options.js";
import { stabilizer } from "./stabilizer.js";
import type { Stabilizer } from "./stabilizer-group.js";
import { valueClasses } from "./value-classes.js";

function requireFinite(group: Group, what: string): void {
  if (group.lieGenerators.length > 0 || !group.isFinite) {
    throw new InvalidArgumentError(
      `${what} needs a finite group; ${group.name} is ${group.lieGenerators.length > 0 ? "a Lie group (its orbits are manifolds)" : "not known to be finite"}.`,
    );
  }
}

/**
 * The orbit { rho(g) x : g in G } of x under a finite group, as distinct vectors (two images
 * closer than tol * ||x|| are one), x first. Permutation groups acting on tensor leaves walk the
 * orbit from x by the generators, with its size |G| / |Stab(x)| checked against `limit` first;
 * other finite groups enumerate their elements (within `limit`).
 */
export function orbit(
  group: Group,
  rep: Rep,
  x: ArrayLike<number>,
  opts: SymmetryOptions = {},
): Float64Array[] {
  const o = resolveOptions(opts);
  const xv = checkInput(group, rep, x);
  requireFinite(group, "orbit");
  const action = indexActionOf(group, rep);
  if (action) {
    const size = orbitSize(group, rep, xv, o);
    if (size > BigInt(o.limit)) {
      throw new LimitExceededError(
        `The orbit of x under ${group.name} has ${size} points, more than the limit of ${o.limit}; pass a larger limit.`,
      );
    }
    const { codes } = valueClasses(xv, entryTolerance(xv, o.tol));
    const maps = group.permutationGenerators!.map((g) => coordinateMap(action, g));
    const out = [{ x: xv, codes }];
    const seen = new Set([codes.join(",")]);
    for (let q = 0; q < out.length; q++) {
      const cur = out[q]!;
      for (const map of maps) {
        const c = Int32Array.from(map, (i) => cur.codes[i]!);
        const key = c.join(",");
        if (seen.has(key)) continue;
        seen.add(key);
        out.push({ x: Float64Array.from(map, (i) => cur.x[i]!), codes: c });
      }
    }
    return out.map((e) => e.x);
  }
  const elements = enumerateGroup(group, o.limit, "the orbit is found by applying every element");
  const images = elements.map((h) => rhoOperator(rep, h).matvec(xv));
  return distinct(images, o.tol * norm(xv));
}

/** The distinct vectors among `images` (within `bound`), each represented by its first occurrence. */
function distinct(images: Float64Array[], bound: number): Float64Array[] {
  const n = images[0]?.length ?? 0;
  const r = rng(0x0b17).normals(n);
  const thr = bound * norm(r);
  const proj = images.map((v) => v.reduce((s, t, i) => s + t * r[i]!, 0));
  const order = images.map((_, i) => i).sort((a, b) => proj[a]! - proj[b]! || a - b);
  const cluster = new Int32Array(images.length).fill(-1);
  const first: number[] = [];
  const kept: number[] = [];
  for (const i of order) {
    for (let j = kept.length - 1; j >= 0 && proj[i]! - proj[kept[j]!]! <= thr; j--) {
      if (distance(images[i]!, images[kept[j]!]!) <= bound) {
        cluster[i] = cluster[kept[j]!]!;
        first[cluster[i]!] = Math.min(first[cluster[i]!]!, i);
        break;
      }
    }
    if (cluster[i]! < 0) {
      cluster[i] = first.length;
      first.push(i);
      kept.push(i);
    }
  }
  return first.sort((a, b) => a - b).map((i) => images[i]!);
}

/** |G| / |Stab(x)| for a finite group: the size of the orbit of x, without listing it. */
export function orbitSize(
  group: Group,
  rep: Rep,
  x: ArrayLike<number>,
  opts: SymmetryOptions = {},
): bigint {
  requireFinite(group, "orbitSize");
  const stab = stabilizer(group, rep, x, opts);
  return group.order() / stab.order!;
}

/** Where x sits among the orbits: its stabilizer's size and Lie dimension, and its orbit's size. */
export interface OrbitType {
  readonly stabilizer: Stabilizer;
  /** |Stab(x)| when finite and known completely, else null. */
  readonly stabilizerOrder: bigint | null;
  readonly lieDimension: number;
  /** |G| / |Stab(x)| for finite groups, else null. */
  readonly orbitSize: bigint | null;
  /** Trivial stabilizer (see `isGeneric`). */
  readonly isGeneric: boolean;
}

/** The orbit type of x: stabilizer order, Lie dimension, orbit size, genericity. */
export function orbitType(
  group: Group,
  rep: Rep,
  x: ArrayLike<number>,
  opts: SymmetryOptions = {},
): OrbitType {
  const stab = stabilizer(group, rep, x, opts);
  const finite = group.lieGenerators.length === 0 && group.isFinite && stab.order !== null;
  return {
    stabilizer: stab,
    stabilizerOrder: stab.order,
    lieDimension: stab.algebra.dimension,
    orbitSize: finite ? group.order() / stab.order! : null,
    isGeneric: genericStabilizer(stab),
  };
}

function genericStabilizer(stab: Stabilizer): boolean {
  if (stab.algebra.dimension > 0) return false;
  if (stab.discreteComplete) return stab.order === 1n;
  return stab.generators.length === 0;
}

/**
 * Whether x has a trivial stabilizer (so relaxed equivariance is plain equivariance there). For
 * Lie groups whose discrete part is not searched completely (see `lieStabilizer`), "trivial"
 * means: a zero-dimensional Lie algebra and no discrete generator of the group fixing x.
 */
export function isGeneric(
  group: Group,
  rep: Rep,
  x: ArrayLike<number>,
  opts: SymmetryOptions = {},
): boolean {
  return genericStabilizer(stabilizer(group, rep, x, opts));
}
