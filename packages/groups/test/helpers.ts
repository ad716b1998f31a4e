import { Matrix } from "@isotropy/linalg";

/** Largest absolute entry of a - b. */
export function diff(a: Matrix, b: Matrix): number {
  return a.maxAbsDiff(b);
}

/** Relative closeness, for matrices with large entries (boosts). */
export function relDiff(a: Matrix, b: Matrix): number {
  return a.maxAbsDiff(b) / Math.max(1, a.frobeniusNorm(), b.frobeniusNorm());
}

/** Whether `g` equals one of `elements` within `tol`. */
export function isAmong(g: Matrix, elements: readonly Matrix[], tol = 1e-9): boolean {
  return elements.some((e) => e.maxAbsDiff(g) <= tol);
}

/** The index of `g` among `elements` (within tol), or -1. */
export function indexAmong(g: Matrix, elements: readonly Matrix[], tol = 1e-9): number {
  return elements.findIndex((e) => e.maxAbsDiff(g) <= tol);
}

export function trace(m: Matrix): number {
  let t = 0;
  for (let i = 0; i < m.rows; i++) t += m.get(i, i);
  return t;
}

/** The d x d block of `m` starting at (offset, offset). */
export function block(m: Matrix, offset: number, d: number): Matrix {
  const b = new Matrix(d, d);
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++) b.set(i, j, m.get(offset + i, offset + j));
  return b;
}

/** Whether the generators of two groups are entrywise equal. */
export function sameGenerators(
  a: { discreteGenerators: readonly Matrix[]; lieGenerators: readonly Matrix[] },
  b: { discreteGenerators: readonly Matrix[]; lieGenerators: readonly Matrix[] },
): boolean {
  const eq = (x: readonly Matrix[], y: readonly Matrix[]) =>
    x.length === y.length && x.every((m, i) => m.maxAbsDiff(y[i]!) === 0);
  return eq(a.discreteGenerators, b.discreteGenerators) && eq(a.lieGenerators, b.lieGenerators);
}
