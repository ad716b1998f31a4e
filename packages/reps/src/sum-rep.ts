import { InvalidArgumentError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { Matrix } from "@isotropy/linalg";
import { type Decomposition, Rep } from "./rep.js";

/**
 * A direct sum of leaf reps laid out canonically (leaf after leaf) and then permuted: tensor
 * products of sums distribute into sums of products whose Kronecker layout interleaves, and the
 * permutation records exactly that, so no dense change of basis is ever needed.
 */
export class SumRep extends Rep {
  readonly size: number;

  constructor(
    readonly group: Group,
    readonly leaves: readonly Rep[],
    /** Canonical index k sits at position perm[k] of this rep's layout; null for identity. */
    readonly perm: Int32Array | null = null,
  ) {
    super();
    for (const l of leaves) {
      if (l.group.name !== group.name) {
        throw new InvalidArgumentError(
          `Cannot add a representation of ${l.group.name} to one of ${group.name}.`,
        );
      }
    }
    this.size = leaves.reduce((s, l) => s + l.size, 0);
    if (perm && perm.length !== this.size) {
      throw new InvalidArgumentError(
        `A sum's permutation has ${perm.length} entries for size ${this.size}.`,
      );
    }
  }

  override decompose(): Decomposition {
    return { leaves: this.leaves, perm: this.perm };
  }

  rho(g: Matrix): Matrix {
    return this.assemble((leaf) => leaf.rho(g));
  }

  override drho(a: Matrix): Matrix {
    return this.assemble((leaf) => leaf.drho(a));
  }

  toString(): string {
    const parts: string[] = [];
    let i = 0;
    while (i < this.leaves.length) {
      let j = i + 1;
      while (j < this.leaves.length && this.leaves[j]!.equals(this.leaves[i]!)) j++;
      const s = this.leaves[i]!.toString();
      parts.push(j - i > 1 ? `${j - i}*${s}` : s);
      i = j;
    }
    const text = parts.join("+") || "0";
    return this.perm ? `perm(${text})` : text;
  }

  protected override canonical(): string {
    const body = this.leaves.map((l) => l.key.slice(l.group.name.length + 1)).join("+");
    return this.perm ? `perm[${hashPerm(this.perm)}](${body})` : `sum(${body})`;
  }

  // Block-diagonal in canonical order, then conjugated by the layout permutation. A leaf that
  // repeats (5*V holds one V five times) is evaluated once.
  private assemble(block: (leaf: Rep) => Matrix): Matrix {
    const n = this.size;
    const out = new Matrix(n, n);
    const p = this.perm;
    const seen = new Map<Rep, Matrix>();
    let off = 0;
    for (const leaf of this.leaves) {
      let b = seen.get(leaf);
      if (!b) {
        b = block(leaf);
        seen.set(leaf, b);
      }
      const m = leaf.size;
      for (let i = 0; i < m; i++) {
        const r = p ? p[off + i]! : off + i;
        for (let j = 0; j < m; j++) {
          const c = p ? p[off + j]! : off + j;
          out.data[r * n + c] = b.data[i * m + j]!;
        }
      }
      off += m;
    }
    return out;
  }
}

function hashPerm(p: Int32Array): string {
  let h = 0x811c9dc5;
  for (const v of p) h = Math.imul(h ^ v, 0x01000193);
  return (h >>> 0).toString(16);
}
