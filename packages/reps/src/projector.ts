import type { Matrix } from "@isotropy/linalg";
import { type EquivariantBasisOptions, equivariantBasis } from "./equivariant-basis.js";
import type { Rep } from "./rep.js";

/** The orthogonal projector onto equivariant maps repIn -> repOut, applied lazily (Q Q^T). */
export interface EquivariantProjector {
  readonly dim: number;
  apply(w: Matrix): Matrix;
}

export function equivariantProjector(
  repIn: Rep,
  repOut: Rep,
  opts: EquivariantBasisOptions = {},
): EquivariantProjector {
  const basis = equivariantBasis(repIn, repOut, opts);
  return { dim: basis.dim, apply: (w) => basis.project(w) };
}
