import { ConvergenceError, type Rng } from "@isotropy/core";
import { type Group, permInverse, permMul } from "@isotropy/groups";
import { Matrix, svd } from "@isotropy/linalg";
import { type Rep, rhoOperator, TensorRep } from "@isotropy/reps";
import type { IndexAction } from "./index-action.js";
import { distance, norm, type ResolvedOptions } from "./options.js";
import { determinant, euclideanOrthogonal } from "./orthogonal-frame.js";
import { analyseSymmetric, type SymmetricAnalysis } from "./permutation-stabilizer.js";
import { isFullSymmetric, orbitsOf } from "./permutations.js";
import { Stabilizer, type StabilizerAlgebra } from "./stabilizer-group.js";

/**
 * An unordered cloud of k points in R^n: O(n) x S(k) or SO(n) x S(k) (in either order) acting on
 * V[orthogonal] ⊗ V[symmetric] (the n x k matrix X whose column i is point i), plus any scalars.
 */
export interface PointCloud {
  readonly n: number;
  readonly k: number;
  readonly special: boolean;
  /** Offsets of the orthogonal and the symmetric block in the group's base space. */
  readonly orthoOffset: number;
  readonly permOffset: number;
  /** position[c * k + i] is the index in x of coordinate c of point i. */
  readonly position: Int32Array;
}

export function pointCloudOf(group: Group, rep: Rep): PointCloud | null {
  const f = group.factors;
  if (f?.length !== 2) return null;
  const oi = f.findIndex((g) => euclideanOrthogonal(g.group) !== null);
  if (oi < 0) return null;
  const si = 1 - oi;
  const sym = f[si]!.group;
  if (!sym.isPermutation || sym.factors || !isFullSymmetric(sym)) return null;
  const euclid = euclideanOrthogonal(f[oi]!.group)!;
  const n = euclid.n;
  const k = sym.d;
  const { leaves, perm } = rep.decompose();
  let position: Int32Array | null = null;
  let offset = 0;
  for (const leaf of leaves) {
    if (!(leaf instanceof TensorRep)) return null;
    const fs = leaf.factors;
    if (fs.length === 2 && !position && fs[0]!.factor !== fs[1]!.factor) {
      const orthoFirst = fs[0]!.factor === oi;
      position = new Int32Array(n * k);
      for (let c = 0; c < n; c++) {
        for (let i = 0; i < k; i++) {
          const local = orthoFirst ? c * k + i : i * n + c;
          position[c * k + i] = perm ? perm[offset + local]! : offset + local;
        }
      }
    } else if (fs.length !== 0) {
      return null;
    }
    offset += leaf.size;
  }
  if (!position) return null;
  return {
    n,
    k,
    special: euclid.special,
    orthoOffset: f[oi]!.offset,
    permOffset: f[si]!.offset,
    position,
  };
}

/** The points (columns of X) of x. */
export function cloudPoints(cloud: PointCloud, x: Float64Array): Float64Array[] {
  const { n, k, position } = cloud;
  return Array.from({ length: k }, (_, i) => {
    const p = new Float64Array(n);
    for (let c = 0; c < n; c++) p[c] = x[position[c * k + i]!]!;
    return p;
  });
}

/** The Gram matrix p_i . p_j of the points, as a flattened k x k matrix. */
export function gramOf(points: readonly Float64Array[]): Float64Array {
  const k = points.length;
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let s = 0;
      const a = points[i]!;
      const b = points[j]!;
      for (let c = 0; c < a.length; c++) s += a[c]! * b[c]!;
      g[i * k + j] = s;
      g[j * k + i] = s;
    }
  }
  return g;
}

/** The index action of S(k) on a k x k matrix (T(2), identity layout). */
export function gramAction(k: number): IndexAction {
  const positions = new Int32Array(k * k);
  for (let i = 0; i < k * k; i++) positions[i] = i;
  return { n: k, size: k * k, blocks: [{ order: 2, positions }], maxOrder: 2 };
}

/**
 * The isometry R with R p_sigma(i) = p_i on the span U of the points (least squares through an
 * orthonormal basis `span` of U) and the identity on U^⊥, polished to the nearest orthogonal
 * matrix. It exists exactly when sigma preserves the Gram matrix.
 */
export function isometryOf(
  points: readonly Float64Array[],
  span: readonly Float64Array[],
  sigma: ArrayLike<number>,
): Matrix {
  const k = points.length;
  const n = points[0]?.length ?? 0;
  const r = Matrix.identity(n);
  for (const e of span)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) r.data[i * n + j]! -= e[i]! * e[j]!;
  if (span.length > 0) {
    // Coordinates of the permuted points in the span basis: Y_U (r x k); R_U Y = X on U.
    const rdim = span.length;
    const yu = new Matrix(rdim, k);
    const xu = new Matrix(n, k);
    for (let i = 0; i < k; i++) {
      const p = points[sigma[i]!]!;
      span.forEach((e, a2) => {
        let s = 0;
        for (let c = 0; c < n; c++) s += e[c]! * p[c]!;
        yu.data[a2 * k + i] = s;
      });
      for (let c = 0; c < n; c++) xu.data[c * k + i] = points[i]![c]!;
    }
    // R_U = X Y_U^+ (n x r), then R += R_U E^T with E = span basis (n x r).
    const { u, s, v } = svd(yu.transpose()); // Y_U^T = u s v^T, so Y_U^+ = u s^-1 v^T
    const pinv = new Matrix(k, rdim);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < rdim; j++) {
        let t = 0;
        for (let l = 0; l < s.length; l++) if (s[l]! > 0) t += (u.get(i, l) * v.get(j, l)) / s[l]!;
        pinv.data[i * rdim + j] = t;
      }
    }
    const ru = xu.mul(pinv);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let t = 0;
        for (let l = 0; l < rdim; l++) t += ru.get(i, l) * span[l]![j]!;
        r.data[i * n + j]! += t;
      }
    }
  }
  const { u, v } = svd(r);
  return u.mul(v.transpose());
}

/** The span of the points: orthonormal basis of it and of its complement, at tol * ||x||. */
export function spanOf(points: readonly Float64Array[], n: number, bound: number) {
  const k = points.length;
  const y = new Matrix(n, Math.max(k, 1));
  points.forEach((p, i) => {
    for (let c = 0; c < n; c++) y.data[c * y.cols + i] = p[c]!;
  });
  const { u, s } = svd(y.cols >= n ? y : padCols(y, n));
  const span: Float64Array[] = [];
  const complement: Float64Array[] = [];
  for (let i = 0; i < n; i++) (s[i]! > bound ? span : complement).push(u.column(i));
  return { span, complement };
}

function padCols(a: Matrix, cols: number): Matrix {
  const out = new Matrix(a.rows, cols);
  for (let i = 0; i < a.rows; i++)
    for (let j = 0; j < a.cols; j++) out.data[i * cols + j] = a.get(i, j);
  return out;
}

/**
 * Stabilizer of a point cloud in O(n) x S(k) / SO(n) x S(k). A pair (R, P_σ) fixes X iff
 * R p_σ(i) = p_i for all i, which forces σ to preserve the Gram matrix; conversely every
 * automorphism σ of the Gram matrix (found by `analyseSymmetric` on it) gives the isometry
 * R_σ = X Y^+ on the span U of the points (Y = the points in the order σ), extended by the
 * identity on U^⊥. So with m = dim U^⊥:
 * - O(n): the component group is Aut(Gram), times the reflection across U^⊥ when m >= 1;
 * - SO(n): m >= 1: Aut(Gram), each R_σ of det -1 composed with that reflection; m = 0: the
 *   automorphisms with det R_σ = +1 (Schreier generators of that subgroup of index <= 2);
 * - the Lie algebra (from the null-space test) is so(U^⊥), dimension m(m-1)/2.
 * A regular k-gon in the plane thus gets D_k (order 2k) in O(2) x S(k) and C_k in SO(2) x S(k).
 */
export function pointCloudStabilizer(
  group: Group,
  rep: Rep,
  x: Float64Array,
  cloud: PointCloud,
  algebra: StabilizerAlgebra,
  opts: ResolvedOptions,
  analysis?: SymmetricAnalysis,
): Stabilizer {
  const { n, k } = cloud;
  const points = cloudPoints(cloud, x);
  const bound = opts.tol * norm(x);
  const gram = gramOf(points);
  const a = analysis ?? analyseSymmetric(gramAction(k), gram, opts, false);
  const { span, complement } = spanOf(points, n, bound);
  const m = complement.length;
  const w = complement[0];
  const reflect = (r: Matrix) => {
    if (!w) return r;
    const out = r.clone();
    // r (I - 2 w w^T)
    const rw = r.matvec(w);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) out.data[i * n + j]! -= 2 * rw[i]! * w[j]!;
    return out;
  };
  const rotationOf = (sigma: Int32Array) => isometryOf(points, span, sigma);
  const detOf = (sigma: Int32Array) => Math.sign(determinant(rotationOf(sigma)));

  // Generators as permutations of k points, plus (O(n), m >= 1) two extra points k, k+1 swapped
  // by the reflection across U^⊥.
  const extra = !cloud.special && m >= 1 ? 2 : 0;
  const degree = k + extra;
  const lift = (sigma: Int32Array, flip: boolean) => {
    const p = new Int32Array(degree);
    p.set(sigma);
    if (extra) {
      p[k] = flip ? k + 1 : k;
      p[k + 1] = flip ? k : k + 1;
    }
    return p;
  };
  let perms: Int32Array[];
  let order = a.order * (extra ? 2n : 1n);
  let random = (rng: Rng) => lift(a.random(rng), extra > 0 && rng.int(2) === 1);
  if (cloud.special && m === 0) {
    const signs = a.generators.map(detOf);
    const t = a.generators[signs.indexOf(-1)];
    if (!t) perms = a.generators.slice();
    else {
      const tInv = permInverse(t);
      perms = [];
      a.generators.forEach((g, i) => {
        if (signs[i] === 1) perms.push(g, permMul(permMul(t, g), tInv));
        else perms.push(permMul(g, tInv), permMul(t, g));
      });
      order /= 2n;
      // Uniform on the subgroup of index 2: rejection from the whole automorphism group.
      random = (rng: Rng) => {
        for (;;) {
          const sigma = a.random(rng);
          if (detOf(sigma) > 0) return lift(sigma, false);
        }
      };
    }
  } else {
    perms = a.generators.slice();
  }
  const generators = perms.map((p) => lift(p, false));
  if (extra)
    generators.push(
      lift(
        new Int32Array(k).map((_, i) => i),
        true,
      ),
    );
  const toElement = (p: Int32Array): Matrix => {
    const sigma = p.subarray(0, k);
    let r = rotationOf(sigma);
    if (extra && p[k] === k + 1) r = reflect(r);
    if (cloud.special && m >= 1 && determinant(r) < 0) r = reflect(r);
    const g = Matrix.identity(group.d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        g.data[(cloud.orthoOffset + i) * group.d + cloud.orthoOffset + j] = r.data[i * n + j]!;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++)
        g.data[(cloud.permOffset + i) * group.d + cloud.permOffset + j] = 0;
      g.data[(cloud.permOffset + i) * group.d + cloud.permOffset + sigma[i]!] = 1;
    }
    return g;
  };
  const elements = generators.map(toElement);
  for (const g of elements) {
    const moved = distance(rhoOperator(rep, g).matvec(x), x);
    if (moved > bound) {
      throw new ConvergenceError(
        `A symmetry of the Gram matrix moves the point cloud by ${moved}, more than tol * ||x|| = ${bound}: ` +
          `the distances are ambiguous at this tolerance.`,
      );
    }
  }
  return new Stabilizer({
    group,
    rep,
    x,
    tol: opts.tol,
    method: "gram-automorphisms",
    generators: elements,
    permutations: null,
    order: algebra.dimension === 0 ? order : null,
    algebra,
    discreteComplete: true,
    orbits: orbitsOf(k, perms),
    model: { kind: "permutations", degree, generators, toElement, random },
    note:
      `automorphisms of the Gram matrix of the ${k} points (${a.nodes} search nodes), each with ` +
      `its isometry of the ${n - m}-dimensional span` +
      (m > 0 ? `; ${cloud.special ? "SO" : "O"}(${m}) on the complement` : ""),
  });
}
