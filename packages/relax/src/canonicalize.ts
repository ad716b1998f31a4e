import { InvalidArgumentError, LimitExceededError } from "@isotropy/core";
import { type Group, permInverse } from "@isotropy/groups";
import { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator } from "@isotropy/reps";
import { enumerateGroup } from "./enumeration-stabilizer.js";
import {
  coordinateMap,
  type IndexAction,
  indexActionOf,
  permuteCoordinates,
} from "./index-action.js";
import { compareLex } from "./lex.js";
import { stabilizerAlgebra } from "./lie-stabilizer.js";
import { groupInverse } from "./matrix-groups.js";
import {
  checkInput,
  entryTolerance,
  norm,
  type ResolvedOptions,
  resolveOptions,
  type SymmetryOptions,
} from "./options.js";
import {
  determinant,
  euclideanOrthogonal,
  orthogonalFrame,
  vectorLeaves,
} from "./orthogonal-frame.js";
import { analyseSymmetric, buildPermutationStabilizer } from "./permutation-stabilizer.js";
import { isFullSymmetric, permClosure, permConjugate } from "./permutations.js";
import {
  cloudPoints,
  gramAction,
  gramOf,
  isometryOf,
  type PointCloud,
  pointCloudOf,
  pointCloudStabilizer,
  spanOf,
} from "./point-cloud.js";
import { stabilizer } from "./stabilizer.js";
import type { Stabilizer } from "./stabilizer-group.js";
import { valueClasses } from "./value-classes.js";

/** How a canonical form was found. */
export type CanonicalMethod =
  /** S(n) on vectors / point sets: points sorted by colour, ties by index. */
  | "sort"
  /** S(n) on tensor leaves with relations (graphs): refinement and individualisation. */
  | "canonical-labelling"
  /** O(n)/SO(n) on tuples of points: the frame of `orthogonalFrame`. */
  | "orthogonal-frame"
  /** O(n)/SO(n) x S(k) on point clouds: Gram canonical labelling, then the orthogonal frame. */
  | "point-cloud"
  /** Other finite groups: the lexicographically least image over all elements. */
  | "least-image";

/**
 * A canonical form of x. Convention: x = rho(frame) canonical, i.e. canonical = rho(frame)^-1 x,
 * and canonical(rho(g) x) = canonical(x) (up to tol) for every g in the group. Frames obey
 * frame(g x) ∈ g · frame(x) · Stab(canonical), and the stabilizer of the canonical form is
 * frame^-1 Stab(x) frame.
 */
export interface Canonicalization {
  /** The frame c(x): a d x d group element with x = rho(frame) canonical. */
  readonly frame: Matrix;
  /**
   * For permutation groups: the frame as a permutation p (the frame is Matrix.permutation(p)).
   * Point i of x is point p[i] of the canonical form (its canonical label).
   */
  readonly permutation: Int32Array | null;
  /** rho(frame)^-1 x. */
  readonly canonical: Float64Array;
  /** Stab(canonical). */
  readonly stabilizer: Stabilizer;
  readonly method: CanonicalMethod;
}

/**
 * A canonical form of x under `group`, with deterministic tie-breaking:
 *
 * - S(n) on tensor leaves: vectors and point sets (no relations) by sorting the points by their
 *   colours (the class codes of their entries, see `valueClasses`), ties broken by the original
 *   index; graphs and other relational data by canonical labelling (refinement and
 *   individualisation, the lexicographically least certificate among the leaves).
 * - O(n)/SO(n) on tuples of points (reps of V and scalars): `orthogonalFrame`.
 * - O(n) x S(k) / SO(n) x S(k) on point clouds V ⊗ V: the points are ordered by a canonical
 *   labelling of their Gram matrix, then framed by `orthogonalFrame`; for SO(n) on full-rank
 *   clouds with a mirror symmetry, the lexicographically least of the two mirror forms.
 * - Any other finite group (and permutation groups other than S(n)): the lexicographically
 *   least image rho(h) x over all elements (within `limit`), first in enumeration order on ties.
 *
 * Lie groups other than these throw `InvalidArgumentError`.
 */
export function canonicalize(
  group: Group,
  rep: Rep,
  x: ArrayLike<number>,
  opts: SymmetryOptions = {},
): Canonicalization {
  const o = resolveOptions(opts);
  const xv = checkInput(group, rep, x);
  if (group.lieGenerators.length > 0) {
    const euclid = euclideanOrthogonal(group);
    const vectors = euclid ? vectorLeaves(rep) : null;
    if (euclid && vectors) {
      const points = vectors.map((pos) => Float64Array.from(pos, (i) => xv[i]!));
      const { frame } = orthogonalFrame(points, euclid.n, euclid.special, o.tol);
      const canonical = rhoOperator(rep, frame.transpose()).matvec(xv);
      return {
        frame,
        permutation: null,
        canonical,
        stabilizer: stabilizer(group, rep, canonical, o),
        method: "orthogonal-frame",
      };
    }
    const cloud = pointCloudOf(group, rep);
    if (cloud) return canonicalCloud(group, rep, xv, cloud, o);
    throw new InvalidArgumentError(
      `canonicalize has no frame for ${rep.toString()} of ${group.name}: Lie groups are supported ` +
        `as O(n)/SO(n) on vectors (k*V plus scalars) and O(n)/SO(n) x S(k) on point clouds V ⊗ V.`,
    );
  }
  const action = indexActionOf(group, rep);
  if (action && isFullSymmetric(group)) return canonicalSymmetric(group, rep, xv, action, o);
  if (!group.isFinite) {
    throw new InvalidArgumentError(
      `${group.name} is neither known to be finite nor a Lie group; it has no canonical forms here.`,
    );
  }
  return action ? leastPermutationImage(group, rep, xv, action, o) : leastImage(group, rep, xv, o);
}

function canonicalSymmetric(
  group: Group,
  rep: Rep,
  x: Float64Array,
  action: IndexAction,
  o: ResolvedOptions,
): Canonicalization {
  const a = analyseSymmetric(action, x, o, true);
  const lab = a.lab!;
  const p = permInverse(lab);
  const canonical = permuteCoordinates(action, lab, x);
  // Stab(canonical) = P^-1 Stab(x) P.
  const generators = a.generators.map((g) => permConjugate(g, p));
  const random = a.random;
  const stab = buildPermutationStabilizer({
    group,
    rep,
    x: canonical,
    tol: o.tol,
    generators,
    order: a.order,
    method: a.method,
    note: "stabilizer of x conjugated by the canonical frame",
    ...(random ? { random: (rng) => permConjugate(random(rng), p) } : {}),
  });
  return {
    frame: Matrix.permutation(p),
    permutation: p,
    canonical,
    stabilizer: stab,
    method: a.method === "colour-classes" ? "sort" : "canonical-labelling",
  };
}

/** Least image over a permutation group, compared on the exact class codes of the entries. */
function leastPermutationImage(
  group: Group,
  rep: Rep,
  x: Float64Array,
  action: IndexAction,
  o: ResolvedOptions,
): Canonicalization {
  const n = group.d;
  const order = group.order();
  if (order > BigInt(o.limit)) {
    throw new LimitExceededError(
      `${group.name} has ${order} elements, more than the enumeration limit of ${o.limit} ` +
        `(its canonical form is the least image over all elements); pass a larger limit.`,
    );
  }
  const { codes } = valueClasses(x, entryTolerance(x, o.tol));
  let best: Int32Array | null = null;
  let bestH: Int32Array | null = null;
  for (const h of permClosure(n, group.permutationGenerators!, o.limit)) {
    const map = coordinateMap(action, h);
    const img = Int32Array.from(map, (i) => codes[i]!);
    if (!best || compareLex(img, best, 0) < 0) {
      best = img;
      bestH = h;
    }
  }
  const h = bestH!;
  const canonical = permuteCoordinates(action, h, x);
  const p = permInverse(h);
  return {
    frame: Matrix.permutation(p),
    permutation: p,
    canonical,
    stabilizer: stabilizer(group, rep, canonical, o),
    method: "least-image",
  };
}

/** Least image over a finite matrix group, entries compared at tol * ||x|| / sqrt(N). */
function leastImage(group: Group, rep: Rep, x: Float64Array, o: ResolvedOptions): Canonicalization {
  const elements = enumerateGroup(
    group,
    o.limit,
    "its canonical form is the least image over all elements",
  );
  const eps = entryTolerance(x, o.tol);
  let best: Float64Array | null = null;
  let bestH: Matrix | null = null;
  for (const h of elements) {
    const img = rhoOperator(rep, h).matvec(x);
    if (!best || compareLex(img, best, eps) < 0) {
      best = img;
      bestH = h;
    }
  }
  const frame = groupInverse(group, bestH!);
  const canonical = best!;
  return {
    frame,
    permutation: null,
    canonical,
    stabilizer: stabilizer(group, rep, canonical, o),
    method: "least-image",
  };
}

function canonicalCloud(
  group: Group,
  rep: Rep,
  x: Float64Array,
  cloud: PointCloud,
  o: ResolvedOptions,
): Canonicalization {
  const { n, k } = cloud;
  const points = cloudPoints(cloud, x);
  const a = analyseSymmetric(gramAction(k), gramOf(points), o, true);
  const lab = a.lab!;
  const labellings = [lab];
  const { span, complement } = spanOf(points, n, o.tol * norm(x));
  if (cloud.special && complement.length === 0) {
    // A mirror symmetry of the cloud lies outside SO(n): both mirror forms are candidates.
    const mirror = a.generators.find((t) => determinant(isometryOf(points, span, t)) < 0);
    if (mirror) labellings.push(Int32Array.from(lab, (v) => mirror[v]!));
  }
  const eps = entryTolerance(x, o.tol);
  let best: { frame: Matrix; canonical: Float64Array } | null = null;
  for (const l of labellings) {
    const ordered = Array.from(l, (v) => points[v]!);
    const { frame: f } = orthogonalFrame(ordered, n, cloud.special, o.tol);
    const p = permInverse(l);
    const g = Matrix.identity(group.d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++)
        g.data[(cloud.orthoOffset + i) * group.d + cloud.orthoOffset + j] = f.get(i, j);
    }
    for (let i = 0; i < k; i++) {
      g.data[(cloud.permOffset + i) * group.d + cloud.permOffset + i] = 0;
    }
    for (let i = 0; i < k; i++)
      g.data[(cloud.permOffset + i) * group.d + cloud.permOffset + p[i]!] = 1;
    const canonical = rhoOperator(rep, g.transpose()).matvec(x);
    if (!best || compareLex(canonical, best.canonical, eps) < 0) best = { frame: g, canonical };
  }
  const { frame, canonical } = best!;
  return {
    frame,
    permutation: null,
    canonical,
    stabilizer: pointCloudStabilizer(
      group,
      rep,
      canonical,
      cloud,
      stabilizerAlgebra(group, rep, canonical, o.tol),
      o,
    ),
    method: "point-cloud",
  };
}
