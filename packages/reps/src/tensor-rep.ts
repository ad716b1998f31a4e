import type { Group } from "@isotropy/groups";
import { inverse, Matrix } from "@isotropy/linalg";
import { Rep } from "./rep.js";

/** One tensor factor: the base rep of a group factor (0 for a simple group), or its dual. */
export interface TensorFactor {
  readonly factor: number;
  readonly dual: boolean;
}

/**
 * A tensor product of copies of the base representation and its dual, e.g. T(p,q) = V^{⊗p} ⊗
 * V*^{⊗q}; for a direct-product group each factor names which group factor's base rep it is.
 * These are the leaves the solver knows how to exploit. Scalar is the empty product.
 */
export class TensorRep extends Rep {
  readonly size: number;
  readonly factors: readonly TensorFactor[];

  constructor(
    readonly group: Group,
    factors: readonly TensorFactor[],
  ) {
    super();
    // For orthogonal (factor) groups V* = V exactly: drop the dual flag so keys coincide.
    this.factors = factors.map((f) =>
      f.dual && factorGroup(group, f.factor).isOrthogonal ? { factor: f.factor, dual: false } : f,
    );
    this.size = this.factors.reduce((s, f) => s * factorDim(group, f.factor), 1);
  }

  /** The dimension of each tensor axis. */
  get axisDims(): number[] {
    return this.factors.map((f) => factorDim(this.group, f.factor));
  }

  rho(g: Matrix): Matrix {
    let out = Matrix.identity(1);
    const cache = new Map<string, Matrix>();
    for (const f of this.factors) {
      const k = `${f.factor}:${f.dual}`;
      let m = cache.get(k);
      if (!m) {
        const block = factorBlock(this.group, f.factor, g);
        m = f.dual ? inverse(block).transpose() : block;
        cache.set(k, m);
      }
      out = out.kron(m);
    }
    return out;
  }

  override drho(a: Matrix): Matrix {
    const n = this.size;
    let out = Matrix.zeros(n, n);
    const dims = this.axisDims;
    for (let i = 0; i < this.factors.length; i++) {
      const f = this.factors[i]!;
      const block = factorBlock(this.group, f.factor, a);
      const term = f.dual ? block.transpose().scale(-1) : block;
      let t = Matrix.identity(1);
      for (let j = 0; j < dims.length; j++) t = t.kron(j === i ? term : Matrix.identity(dims[j]!));
      out = out.add(t);
    }
    return out;
  }

  get isPermutation(): boolean {
    return this.factors.every((f) => factorGroup(this.group, f.factor).isPermutation);
  }

  toString(): string {
    if (this.factors.length === 0) return "Scalar";
    const simple = !this.group.factors;
    const p = this.factors.filter((f) => !f.dual).length;
    const q = this.factors.length - p;
    const sorted = this.factors.every((f, i) => f.dual === i >= p);
    if (simple && sorted) {
      if (p === 1 && q === 0) return "V";
      if (p === 0 && q === 1) return "V*";
      return q === 0 ? `T(${p})` : `T(${p},${q})`;
    }
    return this.factors
      .map((f) => `V${simple ? "" : `[${f.factor}]`}${f.dual ? "*" : ""}`)
      .join("*");
  }

  protected override canonical(): string {
    return this.factors.map((f) => `${f.factor}${f.dual ? "*" : ""}`).join(",") || "scalar";
  }
}

/** The group acting on factor i (the group itself when it is not a product). */
export function factorGroup(group: Group, factor: number): Group {
  return group.factors ? group.factors[factor]!.group : group;
}

function factorDim(group: Group, factor: number): number {
  return factorGroup(group, factor).d;
}

/** The diagonal block of a product-group element (or Lie element) that acts on factor i. */
function factorBlock(group: Group, factor: number, g: Matrix): Matrix {
  if (!group.factors) return g;
  const { group: h, offset } = group.factors[factor]!;
  const b = new Matrix(h.d, h.d);
  for (let i = 0; i < h.d; i++) {
    for (let j = 0; j < h.d; j++) b.data[i * h.d + j] = g.data[(offset + i) * g.cols + offset + j]!;
  }
  return b;
}
