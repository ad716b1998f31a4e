import { InvalidArgumentError, LimitExceededError, type Rng } from "@isotropy/core";
import { type Group, StabilizerChain } from "@isotropy/groups";
import { expm, Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator } from "@isotropy/reps";
import { DEFAULT_LIMIT, distance, norm } from "./options.js";
import { permClosure } from "./permutations.js";

/** The Lie algebra of a stabilizer, inside the Lie algebra of the group. */
export interface StabilizerAlgebra {
  /** Its dimension (0 for a discrete stabilizer). */
  readonly dimension: number;
  /**
   * m x dimension, orthonormal columns: coefficient vectors c over the group's Lie generators
   * A_1..A_m with sum_k c_k drho(A_k) x = 0 (up to tol * ||x||).
   */
  readonly coefficients: Matrix;
  /** The algebra elements sum_k c_k A_k (d x d), one per column of `coefficients`. */
  readonly basis: readonly Matrix[];
}

/** How a stabilizer was computed. */
export type StabilizerMethod =
  /** Points in cells of equal colour (S(n) on vectors and point sets): a product of symmetric groups. */
  | "colour-classes"
  /** Refinement and individualisation (graph automorphisms), S(n) on tensor leaves. */
  | "partition-backtracking"
  /** Every element of a finite group tested. */
  | "enumeration"
  /** The Lie algebra by a null space; the discrete part as documented on `discreteComplete`. */
  | "lie-algebra"
  /** O(n) x S(k) or SO(n) x S(k) on a point cloud: automorphisms of the Gram matrix. */
  | "gram-automorphisms";

/** A finite group as permutations of `degree` points with a map to group elements. */
export interface PermutationModel {
  readonly kind: "permutations";
  readonly degree: number;
  readonly generators: readonly Int32Array[];
  readonly toElement: (p: Int32Array) => Matrix;
  /** A uniform random element (default: through a Schreier-Sims chain of the generators). */
  readonly random?: (rng: Rng) => Int32Array;
}

/** A finite group as the explicit list of its elements (identity first). */
export interface ListModel {
  readonly kind: "list";
  readonly elements: readonly Matrix[];
}

export interface StabilizerInit {
  readonly group: Group;
  readonly rep: Rep;
  readonly x: Float64Array;
  readonly tol: number;
  readonly method: StabilizerMethod;
  readonly generators: readonly Matrix[];
  readonly permutations: readonly Int32Array[] | null;
  readonly order: bigint | null;
  readonly algebra: StabilizerAlgebra;
  readonly discreteComplete: boolean;
  readonly orbits: readonly (readonly number[])[] | null;
  readonly model: PermutationModel | ListModel | null;
  readonly note: string;
}

/**
 * The stabilizer Stab(x) = { g in G : rho(g) x = x } of a vector x, within the tolerance
 * ||rho(g) x - x|| <= tol * ||x||. Finite stabilizers are given by generators (and their exact
 * order); Lie groups add the Lie algebra of the stabilizer.
 */
export class Stabilizer {
  readonly group: Group;
  readonly rep: Rep;
  /** The vector whose stabilizer this is. */
  readonly x: Float64Array;
  readonly tol: number;
  readonly method: StabilizerMethod;
  /**
   * Group elements (d x d) that generate the discrete part: the whole stabilizer when it is
   * finite and `discreteComplete`; with a Lie algebra, elements that with exp of the algebra
   * generate it (complete) or merely elements found to fix x (not complete).
   */
  readonly generators: readonly Matrix[];
  /** For permutation groups: the generators as permutations p of the d points, (P v)_i = v[p[i]]. */
  readonly permutations: readonly Int32Array[] | null;
  /** The exact number of elements when the stabilizer is finite and known completely, else null. */
  readonly order: bigint | null;
  readonly algebra: StabilizerAlgebra;
  /** Whether `generators` (with the algebra) generate the whole stabilizer. */
  readonly discreteComplete: boolean;
  /** For permutation groups: the orbits of the stabilizer on the d points, each sorted. */
  readonly orbits: readonly (readonly number[])[] | null;
  /** What exactly was computed, in words. */
  readonly note: string;
  private readonly model: PermutationModel | ListModel | null;
  private chainCache?: StabilizerChain;

  constructor(init: StabilizerInit) {
    this.group = init.group;
    this.rep = init.rep;
    this.x = init.x;
    this.tol = init.tol;
    this.method = init.method;
    this.generators = init.generators;
    this.permutations = init.permutations;
    this.order = init.order;
    this.algebra = init.algebra;
    this.discreteComplete = init.discreteComplete;
    this.orbits = init.orbits;
    this.model = init.model;
    this.note = init.note;
  }

  /** No Lie algebra and a known, finite set of elements. */
  get isFinite(): boolean {
    return this.algebra.dimension === 0 && this.order !== null;
  }

  /** Only the identity fixes x. */
  get isTrivial(): boolean {
    return this.algebra.dimension === 0 && this.order === 1n;
  }

  /** ||rho(g) x - x|| (the test every element of the stabilizer passes). */
  displacement(g: Matrix): number {
    return distance(rhoOperator(this.rep, g).matvec(this.x), this.x);
  }

  /** Whether g fixes x: ||rho(g) x - x|| <= tol * ||x||. */
  fixes(g: Matrix): boolean {
    return this.displacement(g) <= this.tol * norm(this.x);
  }

  /**
   * All elements of a finite stabilizer, identity first. `LimitExceededError` past `limit`;
   * `InvalidArgumentError` when the stabilizer is not finite or not known completely.
   */
  elements(limit: number = DEFAULT_LIMIT): Matrix[] {
    return this.finiteModel("elements()", limit, (m) =>
      m.kind === "list"
        ? m.elements.map((e) => e.clone())
        : permClosure(m.degree, m.generators, limit).map(m.toElement),
    );
  }

  /**
   * For stabilizers in permutation groups: all elements as permutations of the d points,
   * identity first (limits as `elements`).
   */
  permutationElements(limit: number = DEFAULT_LIMIT): Int32Array[] {
    if (!this.permutations) {
      throw new InvalidArgumentError(
        `The stabilizer in ${this.group.name} is not a group of permutations of its points.`,
      );
    }
    return this.finiteModel("permutationElements()", limit, () =>
      permClosure(this.group.d, this.permutations!, limit),
    );
  }

  /**
   * A random element: exactly uniform for finite stabilizers; with a Lie algebra, exp of a
   * standard normal combination of the algebra basis times a uniform element of the discrete
   * part (complete case) or a random word in the generators found (not uniform).
   */
  sample(rng: Rng): Matrix {
    const m = this.model;
    let g: Matrix;
    if (m && m.kind === "permutations") {
      if (m.random) {
        g = m.toElement(m.random(rng));
      } else {
        this.chainCache ??= new StabilizerChain(m.degree, m.generators);
        g = m.toElement(this.chainCache.random(rng));
      }
    } else if (m && m.kind === "list") {
      g = m.elements[rng.int(m.elements.length)]!.clone();
    } else {
      g = Matrix.identity(this.group.d);
      for (let round = 0; round < 3; round++) {
        for (const h of this.generators) if (rng.int(2) === 1) g = g.mul(h);
      }
    }
    const { basis } = this.algebra;
    if (basis.length === 0) return g;
    let a = Matrix.zeros(this.group.d, this.group.d);
    for (const b of basis) a = a.add(b.scale(rng.normal()));
    return expm(a).mul(g);
  }

  private finiteModel<T>(
    what: string,
    limit: number,
    run: (m: PermutationModel | ListModel) => T[],
  ): T[] {
    if (this.algebra.dimension > 0) {
      throw new InvalidArgumentError(
        `${what}: the stabilizer has a Lie algebra of dimension ${this.algebra.dimension}, so infinitely many elements.`,
      );
    }
    if (!this.model || this.order === null) {
      throw new InvalidArgumentError(
        `${what}: the stabilizer in ${this.group.name} is not known completely (${this.note}).`,
      );
    }
    if (this.order > BigInt(limit)) {
      throw new LimitExceededError(
        `${what}: the stabilizer has ${this.order} elements, more than the limit of ${limit}; pass a larger limit.`,
      );
    }
    return run(this.model);
  }
}

/** The zero-dimensional algebra of a group with m Lie generators. */
export function trivialAlgebra(m: number): StabilizerAlgebra {
  return { dimension: 0, coefficients: new Matrix(m, 0), basis: [] };
}
