import type { Rng } from "@isotropy/core";
import { Matrix } from "./matrix.js";
import { symmetricEigen } from "./symmetric-eigen.js";

/** What a short Lanczos run says about the spectrum of a symmetric positive semidefinite M. */
export interface SpectrumProbe {
  /** An upper bound of lambda_max(M). */
  readonly upper: number;
  /** Ritz values, ascending. */
  readonly ritz: Float64Array;
  /** Residual norm ||M y - theta y|| of each Ritz pair: an eigenvalue lies that close. */
  readonly residuals: Float64Array;
  /** The Krylov space became invariant: the Ritz values are the eigenvalues M has there. */
  readonly invariant: boolean;
}

/**
 * Lanczos with full reorthogonalisation from one random vector, for at most `steps` steps.
 * A random start has a component on every eigenspace, so when the Krylov space becomes invariant
 * (constraint operators of compact groups have few distinct eigenvalues: Casimir values) the
 * Ritz values are exactly the distinct eigenvalues of M. The bound theta_max + beta_last is the
 * usual safe upper bound of the spectrum (Zhou & Saad 2007).
 */
export function lanczosProbe(
  apply: (x: Float64Array) => Float64Array,
  n: number,
  steps: number,
  rng: Rng,
): SpectrumProbe {
  const basis: Float64Array[] = [];
  const alpha: number[] = [];
  const beta: number[] = [];
  let q = normalize(rng.normals(n));
  let invariant = false;
  let scale = 0;
  for (let j = 0; j < Math.min(steps, n); j++) {
    basis.push(q);
    const w = apply(q);
    const a = dot(q, w);
    alpha.push(a);
    for (let pass = 0; pass < 2; pass++) {
      for (const v of basis) axpy(-dot(v, w), v, w);
    }
    const b = Math.sqrt(dot(w, w));
    scale = Math.max(scale, Math.abs(a) + b);
    beta.push(b);
    if (b <= 1e-10 * scale || basis.length === n) {
      invariant = true;
      break;
    }
    q = w.map((x) => x / b);
  }
  const m = alpha.length;
  const t = new Matrix(m, m);
  for (let i = 0; i < m; i++) {
    t.data[i * m + i] = alpha[i]!;
    if (i + 1 < m) {
      t.data[i * m + i + 1] = beta[i]!;
      t.data[(i + 1) * m + i] = beta[i]!;
    }
  }
  const { values, vectors } = symmetricEigen(t);
  const last = beta[m - 1]!;
  const residuals = Float64Array.from({ length: m }, (_, i) =>
    Math.abs(last * vectors.data[(m - 1) * m + i]!),
  );
  const top = values[m - 1]!;
  return {
    upper: (top + (invariant ? residuals[m - 1]! : last)) * (1 + 1e-12),
    ritz: values,
    residuals,
    invariant,
  };
}

function normalize(x: Float64Array): Float64Array {
  const s = Math.sqrt(dot(x, x));
  return x.map((v) => v / s);
}

function dot(x: Float64Array, y: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += a * x[i]!;
}
