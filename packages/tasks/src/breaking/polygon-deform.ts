import { InvalidArgumentError, Rng } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import type {
  BreakingData,
  BreakingGenerateOptions,
  Predictions,
  SymmetryBreakingTask,
} from "./types.js";
import {
  checkCount,
  checkRange,
  gatherRows,
  predictionArray,
  resolveRows,
  summarize,
} from "./util.js";

/** Parameters of `polygonDeform`. */
export interface PolygonDeformOptions {
  /** Vertices per polygon (>= 3); default 6. */
  readonly k?: number;
  /** Stretch factor s > 1 along the farthest vertex (1/s across it); default 1.5. */
  readonly stretch?: number;
  /** Fraction of regular polygons (stabilizer D_k) in the data, in [0, 1]; default 0.5. */
  readonly regularFraction?: number;
}

/** Data of `polygon-deform`: vertices, the target and its stabilizer images. */
export interface PolygonDeformData extends BreakingData {
  /** n x 2k targets with ties broken by the lowest vertex index. */
  readonly y: Float32Array;
  /** n x k x 2k: the distinct images of the target under Stab(x), padded by repeating the first. */
  readonly targets: Float32Array;
  /** Distinct images per instance (k/2 or k on regular polygons, 1 on generic ones). */
  readonly orbitSizes: Int32Array;
  /** Circumradius of each regular polygon (NaN on generic ones). */
  readonly radius: Float64Array;
}

/** Relative tolerance under which two vertex distances from the centroid count as tied. */
export const FARTHEST_TIE_TOLERANCE = 1e-6;

/**
 * y_j = c + A (x_j - c) with A = s u u^T + (1/s)(I - u u^T), u the unit direction from the
 * centroid c to vertex `far`: stretch by s along u, compress by 1/s across it (det A = 1, area kept).
 * Layout: coordinate i of vertex j at i*k + j.
 */
export function stretchAlongVertex(
  x: ArrayLike<number>,
  k: number,
  far: number,
  s: number,
): Float64Array {
  let cx = 0;
  let cy = 0;
  for (let j = 0; j < k; j++) {
    cx += x[j] as number;
    cy += x[k + j] as number;
  }
  cx /= k;
  cy /= k;
  let ux = (x[far] as number) - cx;
  let uy = (x[k + far] as number) - cy;
  const r = Math.hypot(ux, uy);
  const y = new Float64Array(2 * k);
  if (r === 0) {
    for (let i = 0; i < 2 * k; i++) y[i] = x[i] as number;
    return y;
  }
  ux /= r;
  uy /= r;
  for (let j = 0; j < k; j++) {
    const dx = (x[j] as number) - cx;
    const dy = (x[k + j] as number) - cy;
    const along = dx * ux + dy * uy;
    const px = dx - along * ux;
    const py = dy - along * uy;
    y[j] = cx + s * along * ux + px / s;
    y[k + j] = cy + s * along * uy + py / s;
  }
  return y;
}

/** The vertices tied for farthest from the centroid (relative tolerance `tol`), ascending. */
export function farthestVertices(
  x: ArrayLike<number>,
  k: number,
  tol = FARTHEST_TIE_TOLERANCE,
): number[] {
  let cx = 0;
  let cy = 0;
  for (let j = 0; j < k; j++) {
    cx += x[j] as number;
    cy += x[k + j] as number;
  }
  cx /= k;
  cy /= k;
  const d = Array.from({ length: k }, (_, j) =>
    Math.hypot((x[j] as number) - cx, (x[k + j] as number) - cy),
  );
  const max = Math.max(...d);
  return d.flatMap((dj, j) => (dj >= max * (1 - tol) ? [j] : []));
}

/**
 * Every target the rule allows: the stretch along each tied farthest vertex, duplicates removed
 * (opposite vertices give the same stretch). On a regular polygon these are exactly the images of
 * the target under its stabilizer D_k; on a generic one there is one.
 */
export function polygonTargets(x: ArrayLike<number>, k: number, s: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (const j of farthestVertices(x, k)) {
    const y = stretchAlongVertex(x, k, j, s);
    const scale = Math.max(1e-12, Math.hypot(...y));
    if (!out.some((z) => Math.hypot(...z.map((v, i) => v - (y[i] as number))) <= 1e-9 * scale))
      out.push(y);
  }
  return out;
}

/**
 * The least orbit-aware MSE (per coordinate) of an exactly equivariant model on a regular k-gon of
 * circumradius r centred at the origin: its output is fixed by D_k, hence alpha * x, and the best
 * alpha = <x, y> / <x, x> leaves r^2 (s - 1/s)^2 / 8 (the same for every image of the target).
 */
export function regularPolygonBound(r: number, s: number): number {
  return (r * r * (s - 1 / s) ** 2) / 8;
}

/** The vertices of a regular k-gon, coordinate-major, of radius r and first angle theta. */
export function regularPolygon(k: number, r: number, theta: number): Float64Array {
  const x = new Float64Array(2 * k);
  for (let j = 0; j < k; j++) {
    x[j] = r * Math.cos(theta + (2 * Math.PI * j) / k);
    x[k + j] = r * Math.sin(theta + (2 * Math.PI * j) / k);
  }
  return x;
}

/**
 * `polygon-deform` (buckling): k vertices in the plane under O(2) x S(k), rep `V[0]*V[1]`
 * (coordinate i of vertex j at i*k + j); the target stretches the polygon along its farthest vertex.
 */
export function polygonDeform(
  opts: PolygonDeformOptions = {},
): SymmetryBreakingTask<PolygonDeformData> {
  const k = checkCount(opts.k ?? 6, "polygon-deform: k", 3);
  const s = opts.stretch ?? 1.5;
  if (typeof s !== "number" || !Number.isFinite(s) || s <= 1) {
    throw new InvalidArgumentError(
      `polygon-deform: stretch must be a finite number > 1, got ${String(s)}.`,
    );
  }
  const regularFraction = checkRange(
    opts.regularFraction ?? 0.5,
    "polygon-deform: regularFraction",
    0,
    1,
  );
  const dim = 2 * k;
  const name = "polygon-deform";
  return {
    name,
    description: `Buckling of ${k}-gons: stretch by ${s} along the farthest vertex; regular polygons (stabilizer D_${k}) are ambiguous.`,
    group: `O(2)xS(${k})`,
    repIn: "V[0]*V[1]",
    repOut: "V[0]*V[1]",
    inputDim: dim,
    outputDim: dim,
    supervised: true,
    generate(g: BreakingGenerateOptions): PolygonDeformData {
      const n = checkCount(g.n, "polygon-deform: n");
      const seed = g.seed ?? 0;
      const rng = new Rng(seed).fork(name);
      const x = new Float32Array(n * dim);
      const y = new Float32Array(n * dim);
      const targets = new Float32Array(n * k * dim);
      const orbitSizes = new Int32Array(n);
      const symmetric = new Uint8Array(n);
      const equivariantBound = new Float64Array(n);
      const radius = new Float64Array(n).fill(Number.NaN);
      for (let b = 0; b < n; b++) {
        const regular = rng.uniform() < regularFraction;
        let pts: Float64Array;
        if (regular) {
          const r = rng.range(0.5, 1.5);
          pts = regularPolygon(k, r, rng.range(0, 2 * Math.PI));
          radius[b] = r;
        } else {
          const angles = Array.from({ length: k }, () => rng.range(0, 2 * Math.PI)).sort(
            (p, q) => p - q,
          );
          pts = new Float64Array(dim);
          angles.forEach((t, j) => {
            const r = rng.range(0.5, 1.5);
            pts[j] = r * Math.cos(t);
            pts[k + j] = r * Math.sin(t);
          });
          let cx = 0;
          let cy = 0;
          for (let j = 0; j < k; j++) {
            cx += pts[j] as number;
            cy += pts[k + j] as number;
          }
          for (let j = 0; j < k; j++) {
            pts[j] = (pts[j] as number) - cx / k;
            pts[k + j] = (pts[k + j] as number) - cy / k;
          }
        }
        // Vertex order carries no meaning under S(k): shuffle it.
        const perm = rng.permutation(k);
        const xb = new Float64Array(dim);
        for (let j = 0; j < k; j++) {
          xb[j] = Math.fround(pts[perm[j] as number] as number);
          xb[k + j] = Math.fround(pts[k + (perm[j] as number)] as number);
        }
        x.set(xb, b * dim);
        const imgs = regular
          ? polygonTargets(xb, k, s)
          : [stretchAlongVertex(xb, k, farthestVertices(xb, k, 0)[0] as number, s)];
        y.set(imgs[0] as Float64Array, b * dim);
        orbitSizes[b] = imgs.length;
        for (let m = 0; m < k; m++)
          targets.set(imgs[m < imgs.length ? m : 0] as Float64Array, (b * k + m) * dim);
        symmetric[b] = regular ? 1 : 0;
        equivariantBound[b] = regular ? regularPolygonBound(radius[b] as number, s) : 0;
      }
      return { n, x, y, targets, orbitSizes, radius, seed, symmetric, equivariantBound };
    },
    loss(pred: tf.Tensor2D, data: PolygonDeformData, rows?: ArrayLike<number>): tf.Scalar {
      const r = resolveRows(pred, data, dim, name, rows);
      return tf.tidy(() => {
        const t = tf.tensor3d(gatherRows(data.targets, k * dim, r), [r.length, k, dim]);
        const err = tf.mean(tf.square(tf.sub(tf.expandDims(pred, 1), t)), 2);
        return tf.mean(tf.min(err, 1)) as tf.Scalar;
      });
    },
    metric(pred: Predictions, data: PolygonDeformData) {
      const p = predictionArray(pred, data.n, dim, name);
      const per = new Float64Array(data.n);
      for (let b = 0; b < data.n; b++) {
        let best = Number.POSITIVE_INFINITY;
        for (let m = 0; m < (data.orbitSizes[b] as number); m++) {
          let e = 0;
          for (let i = 0; i < dim; i++) {
            const d = (p[b * dim + i] as number) - (data.targets[(b * k + m) * dim + i] as number);
            e += d * d;
          }
          best = Math.min(best, e / dim);
        }
        per[b] = best;
      }
      return summarize("orbit-aware MSE", false, per, data);
    },
  };
}
