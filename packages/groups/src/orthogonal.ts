import type { Rng } from "@isotropy/core";
import { Matrix, qr } from "@isotropy/linalg";
import { intArg, MAX_LIE_DIM } from "./args.js";
import type { Group } from "./group.js";
import { MatrixGroup } from "./matrix-group.js";
import { determinant } from "./matrix-utils.js";

function unit(n: number, entries: readonly [number, number, number][]): Matrix {
  const m = Matrix.zeros(n, n);
  for (const [i, j, v] of entries) m.data[i * n + j] = v;
  return m;
}

/** emlp's so(n) basis: for i > j, the matrix with (i, j) = 1 and (j, i) = -1. */
export function soGenerators(n: number): Matrix[] {
  const out: Matrix[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      out.push(
        unit(n, [
          [i, j, 1],
          [j, i, -1],
        ]),
      );
    }
  }
  return out;
}

/**
 * A Haar-distributed orthogonal matrix: Q of the QR factorisation of a standard Gaussian
 * matrix, with the columns signed so that R has a positive diagonal (Mezzadri 2007). With
 * `special`, the first column is negated when det Q = -1, which gives Haar on SO(n).
 */
export function haarOrthogonal(n: number, rng: Rng, special: boolean): Matrix {
  const a = new Matrix(n, n, rng.normals(n * n));
  const { q, r } = qr(a);
  for (let j = 0; j < n; j++) {
    if (r.get(j, j) < 0) for (let i = 0; i < n; i++) q.data[i * n + j] = -q.data[i * n + j]!;
  }
  if (special && determinant(q) < 0) {
    for (let i = 0; i < n; i++) q.data[i * n] = -q.data[i * n]!;
  }
  return q;
}

export function reflection(n: number): Matrix {
  const h = Matrix.identity(n);
  h.data[0] = -1;
  return h;
}

/** The special orthogonal group SO(n) on R^n. Sampling is Haar. */
export function definiteSO(n: number): Group {
  intArg("SO(n)", "n", n, 1, MAX_LIE_DIM);
  return new MatrixGroup({
    name: `SO(${n})`,
    d: n,
    lie: () => soGenerators(n),
    isOrthogonal: true,
    sample: (rng) => haarOrthogonal(n, rng, true),
    invariantForm: { form: Matrix.identity(n), kind: "orthogonal", special: true },
    ...(n === 1 ? { isFinite: true, order: () => 1n, elements: () => [Matrix.identity(1)] } : {}),
  });
}

/** The orthogonal group O(n) on R^n: SO(n) plus the reflection diag(-1, 1, ..., 1). Haar samples. */
export function definiteO(n: number): Group {
  intArg("O(n)", "n", n, 1, MAX_LIE_DIM);
  return new MatrixGroup({
    name: `O(${n})`,
    d: n,
    lie: () => soGenerators(n),
    discrete: () => [reflection(n)],
    isOrthogonal: true,
    sample: (rng) => haarOrthogonal(n, rng, false),
    invariantForm: { form: Matrix.identity(n), kind: "orthogonal", special: false },
    ...(n === 1
      ? { isFinite: true, order: () => 2n, elements: () => [Matrix.identity(1), reflection(1)] }
      : {}),
  });
}
