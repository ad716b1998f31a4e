import { LimitExceededError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { Matrix, svd, symmetricEigen } from "@isotropy/linalg";
import type { Rep } from "@isotropy/reps";
import { rhoOperator } from "@isotropy/reps";
import { distance, norm, type ResolvedOptions } from "./options.js";
import { euclideanOrthogonal, vectorLeaves } from "./orthogonal-frame.js";
import { pointCloudOf, pointCloudStabilizer } from "./point-cloud.js";
import { Stabilizer, type StabilizerAlgebra } from "./stabilizer-group.js";

/** Largest representation whose dense drho(A) is formed for the Lie-algebra test. */
export const MAX_LIE_REP_SIZE = 4096;

/**
 * The Lie algebra of Stab(x): the null space of the linear map c -> sum_k c_k drho(A_k) x over
 * the group's Lie generators A_k. The m columns drho(A_k) x form a matrix whose singular values
 * at most tol * ||x|| count as zero (so a unit coefficient vector moves x at speed at most
 * tol * ||x||); the corresponding right singular vectors are the (orthonormal) coefficients.
 */
export function stabilizerAlgebra(
  group: Group,
  rep: Rep,
  x: Float64Array,
  tol: number,
): StabilizerAlgebra {
  const gens = group.lieGenerators;
  const m = gens.length;
  if (m === 0) return { dimension: 0, coefficients: new Matrix(0, 0), basis: [] };
  if (rep.size > MAX_LIE_REP_SIZE) {
    throw new LimitExceededError(
      `The Lie-algebra test forms drho(A) densely; ${rep.toString()} has size ${rep.size}, ` +
        `past the limit of ${MAX_LIE_REP_SIZE} (MAX_LIE_REP_SIZE).`,
    );
  }
  const rows = Math.max(rep.size, m);
  const a = new Matrix(rows, m);
  gens.forEach((g, k) => {
    const col = rep.drho(g).matvec(x);
    for (let i = 0; i < col.length; i++) a.data[i * m + k] = col[i]!;
  });
  const { s, v } = svd(a);
  const bound = tol * norm(x);
  const zero: number[] = [];
  for (let i = 0; i < m; i++) if (s[i]! <= bound) zero.push(i);
  const coefficients = new Matrix(m, zero.length);
  zero.forEach((col, j) => {
    for (let k = 0; k < m; k++) coefficients.data[k * zero.length + j] = v.data[k * v.cols + col]!;
  });
  const d = group.d;
  const basis = zero.map((_, j) => {
    let b = Matrix.zeros(d, d);
    gens.forEach((g, k) => {
      b = b.add(g.scale(coefficients.data[k * zero.length + j]!));
    });
    return b;
  });
  return { dimension: zero.length, coefficients, basis };
}

/**
 * Stabilizer in a Lie group. The Lie algebra always comes from `stabilizerAlgebra`. The discrete
 * part:
 * - O(n) / SO(n) on vectors (reps made of V and scalars, e.g. a tuple of points k*V): exact.
 *   With U the span of the vectors (rank decided at tol * ||x||) and m = n - dim U, the
 *   stabilizer is O(U^⊥) (resp. SO(U^⊥)) acting on U^⊥ and trivially on U. For O(n) and m >= 1
 *   its second component is represented by the reflection I - 2 w w^T across a unit w ⟂ U (for
 *   O(3) and a planar point set: the reflection in that plane). Order 1 (m = 0), 2 (O(n), m = 1)
 *   or infinite.
 * - O(n) x S(k) / SO(n) x S(k) on a point cloud V ⊗ V: exact, see `pointCloudStabilizer`.
 * - otherwise: the discrete generators h_i of the group that fix x, and nothing more
 *   (`discreteComplete` false): other components of the stabilizer may exist.
 */
export function lieStabilizer(
  group: Group,
  rep: Rep,
  x: Float64Array,
  opts: ResolvedOptions,
): Stabilizer {
  const algebra = stabilizerAlgebra(group, rep, x, opts.tol);
  const bound = opts.tol * norm(x);
  const euclid = euclideanOrthogonal(group);
  const vectors = euclid ? vectorLeaves(rep) : null;
  if (euclid && vectors) {
    const n = euclid.n;
    const xx = new Matrix(n, n);
    for (const pos of vectors) {
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) xx.data[a * n + b]! += x[pos[a]!]! * x[pos[b]!]!;
    }
    const { values, vectors: ev } = symmetricEigen(xx);
    const complement: Float64Array[] = [];
    for (let i = 0; i < n; i++)
      if (Math.sqrt(Math.max(values[i]!, 0)) <= bound) complement.push(ev.column(i));
    const m = complement.length;
    const id = Matrix.identity(n);
    const elements = [id];
    if (!euclid.special && m >= 1) {
      const w = complement[0]!;
      const r = Matrix.identity(n);
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) r.data[a * n + b]! -= 2 * w[a]! * w[b]!;
      elements.push(r);
    }
    const order = m === 0 ? 1n : m === 1 ? BigInt(elements.length) : null;
    return new Stabilizer({
      group,
      rep,
      x,
      tol: opts.tol,
      method: "lie-algebra",
      generators: elements.slice(1),
      permutations: null,
      order: algebra.dimension === 0 ? order : null,
      algebra,
      discreteComplete: true,
      orbits: null,
      model: { kind: "list", elements },
      note:
        `vectors span a ${n - m}-dimensional subspace; the stabilizer is ` +
        `${euclid.special ? "SO" : "O"}(${m}) on its orthogonal complement` +
        (elements.length > 1 ? ", its second component represented by a reflection" : ""),
    });
  }
  const cloud = pointCloudOf(group, rep);
  if (cloud) return pointCloudStabilizer(group, rep, x, cloud, algebra, opts);
  const fixed = group.discreteGenerators.filter(
    (h) => distance(rhoOperator(rep, h).matvec(x), x) <= bound,
  );
  return new Stabilizer({
    group,
    rep,
    x,
    tol: opts.tol,
    method: "lie-algebra",
    generators: fixed,
    permutations: null,
    order: null,
    algebra,
    discreteComplete: false,
    orbits: null,
    model: null,
    note:
      `Lie algebra of dimension ${algebra.dimension} from the null space of drho(A) x; discrete ` +
      `part: ${fixed.length} of the ${group.discreteGenerators.length} discrete generators fix x ` +
      `(other components are not searched)`,
  });
}
