import type { Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator } from "@isotropy/reps";

/** rho(g) x. */
export function act(rep: Rep, g: Matrix, x: Float64Array): Float64Array {
  return rhoOperator(rep, g).matvec(x);
}

export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * x[i]!;
  return Math.sqrt(s);
}

/** Elements of a small finite group that fix x (||rho(g) x - x|| <= tol ||x||). */
export function bruteForceStabilizer(
  group: Group,
  rep: Rep,
  x: Float64Array,
  tol = 1e-6,
): Matrix[] {
  const bound = tol * norm(x);
  return group.elements().filter((g) => norm(sub(act(rep, g, x), x)) <= bound);
}

export function sub(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v - b[i]!);
}

/** Vertices of a regular k-gon of radius r rotated by phase, as k points in R^2 (flat, point-major). */
export function regularPolygon(k: number, r = 1, phase = 0): Float64Array[] {
  return Array.from({ length: k }, (_, i) => {
    const t = phase + (2 * Math.PI * i) / k;
    return Float64Array.of(r * Math.cos(t), r * Math.sin(t));
  });
}

/** Points as the k*V vector (point-major: point i at [i*n, (i+1)*n)). */
export function pointMajor(points: readonly Float64Array[]): Float64Array {
  const n = points[0]?.length ?? 0;
  const out = new Float64Array(points.length * n);
  points.forEach((p, i) => {
    out.set(p, i * n);
  });
  return out;
}

/** Points as the V_O ⊗ V_S vector (coordinate-major: coordinate c of point i at c*k + i). */
export function coordinateMajor(points: readonly Float64Array[]): Float64Array {
  const k = points.length;
  const n = points[0]?.length ?? 0;
  const out = new Float64Array(k * n);
  points.forEach((p, i) => {
    for (let c = 0; c < n; c++) out[c * k + i] = p[c]!;
  });
  return out;
}

/** Embeds planar points in R^3 (z = 0). */
export function inSpace(points: readonly Float64Array[]): Float64Array[] {
  return points.map((p) => Float64Array.of(p[0]!, p[1]!, 0));
}

export function randomPoints(k: number, n: number, r: Rng): Float64Array[] {
  return Array.from({ length: k }, () => r.normals(n));
}

/** A random integer vector with entries in [0, m) (repeated entries when m is small). */
export function randomInts(size: number, m: number, r: Rng): Float64Array {
  return Float64Array.from({ length: size }, () => r.int(m));
}
