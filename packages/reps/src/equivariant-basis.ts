import { InvalidArgumentError } from "@isotropy/core";
import {
  dense,
  identity,
  kron,
  type LinearOperator,
  linearCombination,
  Matrix,
  nullSpace,
  vstack,
} from "@isotropy/linalg";
import { type BlockBasis, DenseBasis } from "./block-basis.js";
import { defaultCache } from "./cache.js";
import { groupKey, type SolveMethod, type SolveOptions, tensorInvariants } from "./invariants.js";
import type { Rep } from "./rep.js";
import { TensorRep } from "./tensor-rep.js";

/** One distinct (out leaf, in leaf) pair: its basis and where each copy of each leaf sits. */
export interface BasisPair {
  readonly outLeaf: Rep;
  readonly inLeaf: Rep;
  readonly basis: BlockBasis;
  /** Canonical offsets of each copy of outLeaf in repOut (before its layout permutation). */
  readonly outOffsets: readonly number[];
  readonly inOffsets: readonly number[];
  /** Where this pair's coefficients start in the full coefficient vector. */
  readonly coeffOffset: number;
}

export interface EquivariantBasisOptions extends SolveOptions {
  /** Solve again instead of reading the cache. */
  noCache?: boolean;
}

/**
 * An orthonormal basis of the linear maps repIn -> repOut that commute with the group, held per
 * distinct leaf pair with multiplicities: memory scales with the distinct blocks, not with
 * size x dim. Coefficients are ordered pair by pair, then [out copy][in copy][basis vector].
 * As a dense matrix (`toDense`) row `i_out * repIn.size + i_in` is entry (i_out, i_in) of the map.
 */
export class EquivariantBasis {
  readonly size: number;
  readonly dim: number;

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    readonly pairs: readonly BasisPair[],
    /** How the leaf problems were solved: one method, or several joined by "+". */
    readonly method: string,
    /** repIn's layout permutation: canonical index k sits at position permIn[k] (null: identity). */
    readonly permIn: Int32Array | null,
    /** repOut's layout permutation (null: identity). */
    readonly permOut: Int32Array | null,
  ) {
    this.size = repIn.size * repOut.size;
    const last = pairs.at(-1);
    this.dim = last
      ? last.coeffOffset + last.basis.dim * last.outOffsets.length * last.inOffsets.length
      : 0;
  }

  /** The map W = Σ c_j B_j as a repOut.size x repIn.size matrix. */
  weight(coeffs: ArrayLike<number>): Matrix {
    if (coeffs.length !== this.dim) {
      throw new InvalidArgumentError(`Expected ${this.dim} coefficients, got ${coeffs.length}.`);
    }
    const w = new Matrix(this.repOut.size, this.repIn.size);
    for (const p of this.pairs) {
      const r = p.basis.dim;
      let c = p.coeffOffset;
      for (const oo of p.outOffsets) {
        for (const io of p.inOffsets) {
          const block = p.basis.combine(
            coeffs instanceof Float64Array
              ? coeffs.subarray(c, c + r)
              : Array.from({ length: r }, (_, j) => coeffs[c + j]!),
          );
          this.scatter(w, block, p, oo, io);
          c += r;
        }
      }
    }
    return w;
  }

  /** The basis as a dense (size x dim) matrix, rows in the map's row-major layout. */
  toDense(): Matrix {
    const out = new Matrix(this.size, this.dim);
    const nIn = this.repIn.size;
    for (const p of this.pairs) {
      const b = p.basis.toDense();
      let c = p.coeffOffset;
      for (const oo of p.outOffsets) {
        for (const io of p.inOffsets) {
          for (let j = 0; j < b.cols; j++, c++) {
            for (let a = 0; a < p.outLeaf.size; a++) {
              const row = this.outPos(oo + a) * nIn;
              for (let e = 0; e < p.inLeaf.size; e++) {
                const v = b.data[(a * p.inLeaf.size + e) * b.cols + j]!;
                if (v !== 0) out.data[(row + this.inPos(io + e)) * this.dim + c] = v;
              }
            }
          }
        }
      }
    }
    return out;
  }

  /** Coordinates of W in this basis (the orthogonal projection's coefficients). */
  coordinates(w: Matrix): Float64Array {
    this.checkShape(w);
    const out = new Float64Array(this.dim);
    for (const p of this.pairs) {
      let c = p.coeffOffset;
      for (const oo of p.outOffsets) {
        for (const io of p.inOffsets) {
          out.set(p.basis.coordinates(this.gather(w, p, oo, io)), c);
          c += p.basis.dim;
        }
      }
    }
    return out;
  }

  /** The orthogonal projection of W onto the equivariant maps. */
  project(w: Matrix): Matrix {
    return this.weight(this.coordinates(w));
  }

  /** Where coordinate k of repOut's leaf layout (the pairs' offsets) sits in repOut. */
  outPos(k: number): number {
    return this.permOut ? this.permOut[k]! : k;
  }

  /** Where coordinate k of repIn's leaf layout (the pairs' offsets) sits in repIn. */
  inPos(k: number): number {
    return this.permIn ? this.permIn[k]! : k;
  }

  private scatter(w: Matrix, block: Float64Array, p: BasisPair, oo: number, io: number): void {
    const nIn = this.repIn.size;
    const m = p.inLeaf.size;
    for (let a = 0; a < p.outLeaf.size; a++) {
      const row = this.outPos(oo + a) * nIn;
      for (let e = 0; e < m; e++) w.data[row + this.inPos(io + e)]! += block[a * m + e]!;
    }
  }

  private gather(w: Matrix, p: BasisPair, oo: number, io: number): Float64Array {
    const nIn = this.repIn.size;
    const m = p.inLeaf.size;
    const x = new Float64Array(p.outLeaf.size * m);
    for (let a = 0; a < p.outLeaf.size; a++) {
      const row = this.outPos(oo + a) * nIn;
      for (let e = 0; e < m; e++) x[a * m + e] = w.data[row + this.inPos(io + e)]!;
    }
    return x;
  }

  private checkShape(w: Matrix): void {
    if (w.rows !== this.repOut.size || w.cols !== this.repIn.size) {
      throw new InvalidArgumentError(
        `Expected a ${this.repOut.size} x ${this.repIn.size} map, got ${w.rows} x ${w.cols}.`,
      );
    }
  }
}

/**
 * The equivariant maps repIn -> repOut. Each distinct pair of leaves is solved once (tensor
 * leaves through their invariants, cached), and multiplicities only repeat coefficients.
 */
export function equivariantBasis(
  repIn: Rep,
  repOut: Rep,
  opts: EquivariantBasisOptions = {},
): EquivariantBasis {
  if (repIn.group.name !== repOut.group.name || groupKey(repIn.group) !== groupKey(repOut.group)) {
    throw new InvalidArgumentError(
      `The input is a representation of ${repIn.group.name} but the output of ${repOut.group.name}; ` +
        "an equivariant map needs both of the same group.",
    );
  }
  const cache = opts.noCache ? undefined : (opts.cache ?? defaultCache);
  const methods = new Set<SolveMethod>();
  const solveOpts: SolveOptions = {
    ...opts,
    cache,
    onSolve: (info) => {
      methods.add(info.method);
      opts.onSolve?.(info);
    },
  };
  const dIn = repIn.decompose();
  const dOut = repOut.decompose();
  const inTypes = distinctLeaves(dIn.leaves);
  const outTypes = distinctLeaves(dOut.leaves);
  const pairs: BasisPair[] = [];
  let coeffOffset = 0;
  for (const o of outTypes) {
    for (const i of inTypes) {
      const basis = leafPairBasis(o.leaf, i.leaf, solveOpts);
      if (basis.dim === 0) continue;
      pairs.push({
        outLeaf: o.leaf,
        inLeaf: i.leaf,
        basis,
        outOffsets: o.offsets,
        inOffsets: i.offsets,
        coeffOffset,
      });
      coeffOffset += basis.dim * o.offsets.length * i.offsets.length;
    }
  }
  const method = methods.size === 0 ? "trivial" : [...methods].sort().join("+");
  return new EquivariantBasis(repIn, repOut, pairs, method, dIn.perm, dOut.perm);
}

function distinctLeaves(leaves: readonly Rep[]): { leaf: Rep; offsets: number[] }[] {
  const byKey = new Map<string, { leaf: Rep; offsets: number[] }>();
  let off = 0;
  for (const leaf of leaves) {
    const e = byKey.get(leaf.key);
    if (e) e.offsets.push(off);
    else byKey.set(leaf.key, { leaf, offsets: [off] });
    off += leaf.size;
  }
  return [...byKey.values()];
}

/** Hom_G(inLeaf, outLeaf), rows indexed out * |in| + in. */
function leafPairBasis(outLeaf: Rep, inLeaf: Rep, opts: SolveOptions): BlockBasis {
  if (outLeaf instanceof TensorRep && inLeaf instanceof TensorRep) {
    const hom = new TensorRep(outLeaf.group, [
      ...outLeaf.factors,
      ...inLeaf.factors.map((f) => ({ factor: f.factor, dual: !f.dual })),
    ]);
    return tensorInvariants(outLeaf.group, hom.factors, opts);
  }
  return opaquePairBasis(outLeaf, inLeaf);
}

/**
 * A pair with a user-defined rep: the constraints rho_out(h) W = W rho_in(h) and drho_out(A) W =
 * W drho_in(A), vectorised row-major, solved densely.
 */
function opaquePairBasis(outLeaf: Rep, inLeaf: Rep): BlockBasis {
  const g = outLeaf.group;
  const n = outLeaf.size * inLeaf.size;
  const ops: LinearOperator[] = [];
  for (const h of g.discreteGenerators) {
    // W rho_in(h) = rho_out(h) W, vectorised row-major: (rho_out ⊗ I - I ⊗ rho_in^T) vec(W) = 0
    ops.push(
      linearCombination([
        [1, kron(dense(outLeaf.rho(h)), identity(inLeaf.size))],
        [-1, kron(identity(outLeaf.size), dense(inLeaf.rho(h).transpose()))],
      ]),
    );
  }
  for (const a of g.lieGenerators) {
    ops.push(
      linearCombination([
        [1, kron(dense(outLeaf.drho(a)), identity(inLeaf.size))],
        [-1, kron(identity(outLeaf.size), dense(inLeaf.drho(a).transpose()))],
      ]),
    );
  }
  if (ops.length === 0) return new DenseBasis(Matrix.identity(n));
  return new DenseBasis(nullSpace(vstack(...ops).toDense()));
}
