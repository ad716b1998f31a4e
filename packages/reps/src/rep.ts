import { InvalidArgumentError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { inverse, type Matrix } from "@isotropy/linalg";
import { repOps } from "./rep-ops.js";

/**
 * A representation of a matrix group: all a subclass must say is `rho` (and `drho` for Lie
 * groups), its `size` and a name. Equality, the canonical key, hashing, duals, sums, products and
 * maps are derived, as in emlp's `Rep`.
 */
export abstract class Rep {
  abstract readonly group: Group;
  abstract readonly size: number;

  /** The representation of a group element `g` of the base space (d x d), as a dense matrix. */
  abstract rho(g: Matrix): Matrix;

  /** The Lie-algebra representation of `a` (d x d); needed only when the group has Lie generators. */
  drho(_a: Matrix): Matrix {
    throw new InvalidArgumentError(
      `${this.toString()} does not define drho; it cannot be used with the Lie group ${this.group.name}.`,
    );
  }

  /** Human and canonical text, e.g. `2*V+T(2)`. */
  abstract toString(): string;

  /**
   * The structure the basis solver exploits: the rep as a permuted direct sum of leaves (tensor
   * powers of the base rep, or opaque user reps). Opaque by default.
   */
  decompose(): Decomposition {
    return { leaves: [this], perm: null };
  }

  /** A canonical key: equal keys mean equal representations (used for caching and equality). */
  get key(): string {
    return `${this.group.name}|${this.canonical()}`;
  }

  /** The canonical structural text; opaque reps add a fingerprint of rho on the generators. */
  protected canonical(): string {
    return `${this.constructor.name}:${this.size}:${fingerprint(this)}`;
  }

  equals(other: Rep): boolean {
    return this === other || this.key === other.key;
  }

  /** A 32-bit hash of the key. */
  hash(): number {
    let h = 0x811c9dc5;
    const k = this.key;
    for (let i = 0; i < k.length; i++) h = Math.imul(h ^ k.charCodeAt(i), 0x01000193);
    return h >>> 0;
  }

  /** The dual (contragredient) representation. */
  dual(): Rep {
    return repOps().dual(this);
  }

  /** The direct sum this ⊕ others. */
  plus(...others: Rep[]): Rep {
    return others.reduce<Rep>((a, b) => repOps().sum(a, b), this);
  }

  /** n copies: this ⊕ ... ⊕ this. */
  times(n: number): Rep {
    return repOps().multiple(n, this);
  }

  /** The tensor product this ⊗ other (Kronecker layout, this most significant). */
  tensor(other: Rep): Rep {
    return repOps().tensor(this, other);
  }

  /** The k-th tensor power. */
  pow(k: number): Rep {
    return repOps().power(this, k);
  }

  /** The rep of linear maps this -> out (emlp's `this >> out`): out ⊗ this*. */
  to(out: Rep): Rep {
    return repOps().tensor(out, this.dual());
  }
}

/** A rep as a direct sum of leaves, laid out canonically then permuted. */
export interface Decomposition {
  /** The leaves in canonical order; their sizes add up to the rep's size. */
  readonly leaves: readonly Rep[];
  /** Canonical index k sits at position perm[k] of the rep's own layout; null for identity. */
  readonly perm: Int32Array | null;
}

/** The dual of an opaque rep: rho*(g) = rho(g)^-T, drho*(A) = -drho(A)^T. */
export class DualRep extends Rep {
  readonly group: Group;
  readonly size: number;

  constructor(readonly base: Rep) {
    super();
    this.group = base.group;
    this.size = base.size;
  }

  rho(g: Matrix): Matrix {
    return inverse(this.base.rho(g)).transpose();
  }

  override drho(a: Matrix): Matrix {
    return this.base.drho(a).transpose().scale(-1);
  }

  toString(): string {
    return `(${this.base.toString()})*`;
  }

  protected override canonical(): string {
    return `dual(${this.base.key})`;
  }
}

// Numerical fingerprint of an opaque rep: rho on the first generators, rounded, hashed.
function fingerprint(rep: Rep): string {
  let h = 0x811c9dc5;
  const mix = (m: Matrix) => {
    for (const v of m.data) {
      const r = Math.round(v * 1e8);
      h = Math.imul(h ^ (r & 0xffff), 0x01000193);
      h = Math.imul(h ^ ((r >>> 16) & 0xffff), 0x01000193);
    }
  };
  const g = rep.group;
  for (const h0 of g.discreteGenerators.slice(0, 4)) mix(rep.rho(h0));
  if (g.lieGenerators.length > 0) {
    try {
      for (const a of g.lieGenerators.slice(0, 4)) mix(rep.drho(a));
    } catch {
      // reps without drho are hashed on their discrete generators only
    }
  }
  return (h >>> 0).toString(16);
}
