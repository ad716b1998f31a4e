import { InvalidArgumentError, LimitExceededError, type Rng } from "@isotropy/core";
import { expm, inverse, Matrix } from "@isotropy/linalg";
import {
  DEFAULT_ELEMENT_LIMIT,
  type Group,
  type GroupFactor,
  type InvariantForm,
} from "./group.js";
import {
  checkGenerators,
  combine,
  isAntisymmetric,
  isMatrixLike,
  isOrthogonalMatrix,
  matrixPower,
  permutationOf,
} from "./matrix-utils.js";
import { permIdentity, permKey, permMul, StabilizerChain } from "./permutation.js";

/** How a group is built: generators plus optional closed forms that replace the generic ones. */
export interface GroupSpec {
  readonly name: string;
  readonly d: number;
  /** Discrete generators, or a thunk that builds them on first use. */
  readonly discrete?: readonly Matrix[] | (() => readonly Matrix[]);
  /** Lie-algebra generators, or a thunk that builds them on first use. */
  readonly lie?: readonly Matrix[] | (() => readonly Matrix[]);
  /** For permutation groups: the generators as permutations (discrete then defaults to them). */
  readonly permutations?: readonly Int32Array[];
  readonly isOrthogonal?: boolean;
  /** Whether the group is finite; defaults to true exactly for permutation groups. */
  readonly isFinite?: boolean;
  readonly factors?: readonly GroupFactor[];
  /** The invariant form of a classical group (see `Group.invariantForm`). */
  readonly invariantForm?: InvariantForm;
  /** Closed-form order of a finite group. */
  readonly order?: () => bigint;
  /** Closed-form sampler. */
  readonly sample?: (rng: Rng) => Matrix;
  /** Closed-form list of elements (called after the size check), identity first. */
  readonly elements?: (limit: number) => Matrix[];
  /** Standard deviation of the normal coefficient of each Lie generator in the default sampler. */
  readonly lieScale?: readonly number[];
}

/**
 * The one implementation of `Group` behind every family: generators (lazy where large),
 * derived flags, and generic enumeration and sampling that families replace by closed forms.
 */
export class MatrixGroup implements Group {
  readonly name: string;
  readonly d: number;
  readonly isPermutation: boolean;
  readonly isFinite: boolean;
  readonly permutationGenerators?: readonly Int32Array[];
  readonly factors?: readonly GroupFactor[];
  readonly invariantForm?: InvariantForm;
  private readonly spec: GroupSpec;
  private discreteCache?: readonly Matrix[];
  private lieCache?: readonly Matrix[];
  private orthogonalCache?: boolean;
  private orderCache?: bigint;
  private chainCache?: StabilizerChain;
  private elementsCache?: Matrix[];
  private inverseCache?: Matrix[];

  constructor(spec: GroupSpec) {
    this.spec = spec;
    this.name = spec.name;
    this.d = spec.d;
    this.isPermutation = spec.permutations !== undefined;
    if (spec.permutations) this.permutationGenerators = spec.permutations;
    this.isFinite = spec.isFinite ?? this.isPermutation;
    if (spec.factors) this.factors = spec.factors;
    if (spec.invariantForm) this.invariantForm = spec.invariantForm;
    if (spec.isOrthogonal !== undefined || this.isPermutation) {
      this.orthogonalCache = spec.isOrthogonal ?? true;
    }
  }

  get discreteGenerators(): readonly Matrix[] {
    if (!this.discreteCache) {
      const { discrete, permutations } = this.spec;
      this.discreteCache =
        typeof discrete === "function"
          ? discrete()
          : (discrete ?? permutations?.map((p) => Matrix.permutation(p)) ?? []);
    }
    return this.discreteCache;
  }

  get lieGenerators(): readonly Matrix[] {
    if (!this.lieCache) {
      const { lie } = this.spec;
      this.lieCache = typeof lie === "function" ? lie() : (lie ?? []);
    }
    return this.lieCache;
  }

  get isOrthogonal(): boolean {
    if (this.orthogonalCache === undefined) {
      this.orthogonalCache =
        this.discreteGenerators.every((h) => isOrthogonalMatrix(h)) &&
        this.lieGenerators.every((a) => isAntisymmetric(a));
    }
    return this.orthogonalCache;
  }

  toString(): string {
    return this.name;
  }

  order(): bigint {
    this.assertFinite("order()");
    if (this.orderCache === undefined) {
      if (this.spec.order) this.orderCache = this.spec.order();
      else if (this.isPermutation) this.orderCache = this.chain().order();
      else this.orderCache = BigInt(this.enumerate(DEFAULT_ELEMENT_LIMIT).length);
    }
    return this.orderCache;
  }

  elements(limit: number = DEFAULT_ELEMENT_LIMIT): Matrix[] {
    this.assertFinite("elements()");
    if (!(limit >= 1)) {
      throw new InvalidArgumentError(`elements(limit) needs a limit >= 1, got ${limit}.`);
    }
    if (this.spec.order || this.isPermutation) {
      const n = this.order();
      if (n > BigInt(Math.floor(Math.min(limit, Number.MAX_SAFE_INTEGER)))) {
        throw new LimitExceededError(
          `${this.name} has ${n} elements, more than the limit of ${limit}; ` +
            `pass a larger limit, elements(${n}), if that many ${this.d} x ${this.d} matrices fit in memory.`,
        );
      }
    }
    return this.enumerate(limit).map((m) => m.clone());
  }

  sample(rng: Rng): Matrix {
    if (this.spec.sample) return this.spec.sample(rng);
    if (this.isPermutation) return Matrix.permutation(this.chain().random(rng));
    if (this.isFinite) {
      let all: Matrix[] | undefined;
      try {
        all = this.enumerate(DEFAULT_ELEMENT_LIMIT);
      } catch (e) {
        if (!(e instanceof LimitExceededError)) throw e;
      }
      if (all) return all[rng.int(all.length)]!.clone();
    }
    return this.lieSample(rng).mul(this.randomWord(rng));
  }

  /** The stabilizer chain (Schreier-Sims) of a permutation group. */
  chain(): StabilizerChain {
    if (!this.isPermutation) {
      throw new InvalidArgumentError(
        `${this.name} is not a permutation group; it has no stabilizer chain.`,
      );
    }
    this.chainCache ??= new StabilizerChain(this.d, this.permutationGenerators!);
    return this.chainCache;
  }

  /** exp(sum_k z_k s_k A_k) with z_k standard normal and s_k the Lie scale (1 by default). */
  lieSample(rng: Rng): Matrix {
    const lie = this.lieGenerators;
    if (lie.length === 0) return Matrix.identity(this.d);
    const z = rng.normals(lie.length);
    const scale = this.spec.lieScale;
    if (scale) for (let k = 0; k < z.length; k++) z[k]! *= scale[k]!;
    return expm(combine(z, lie, this.d));
  }

  /**
   * A random word in the discrete generators: three rounds, each over the generators in random
   * order, each raised to a uniform power in [-5, 4] (as emlp). Not uniform in general.
   */
  randomWord(rng: Rng): Matrix {
    const gens = this.discreteGenerators;
    let g = Matrix.identity(this.d);
    if (gens.length === 0) return g;
    this.inverseCache ??= gens.map((h) => (isOrthogonalMatrix(h) ? h.transpose() : inverse(h)));
    for (let round = 0; round < 3; round++) {
      for (const i of rng.permutation(gens.length)) {
        const k = rng.int(10) - 5;
        if (k !== 0) g = g.mul(matrixPower(k > 0 ? gens[i]! : this.inverseCache[i]!, Math.abs(k)));
      }
    }
    return g;
  }

  private assertFinite(what: string): void {
    if (!this.isFinite) {
      const why =
        this.lieGenerators.length > 0
          ? "it has Lie generators (a continuous group)"
          : "it is not known to be finite (pass finite: true to groupFromGenerators if it is)";
      throw new InvalidArgumentError(
        `${what} is defined for finite groups only; ${this.name}: ${why}.`,
      );
    }
  }

  private enumerate(limit: number): Matrix[] {
    if (this.elementsCache && this.elementsCache.length <= limit) return this.elementsCache;
    let out: Matrix[];
    if (this.spec.elements) out = this.spec.elements(limit);
    else if (this.isPermutation)
      out = closePermutations(this.name, this.d, this.permutationGenerators!, limit);
    else out = closeMatrices(this.name, this.d, this.discreteGenerators, limit);
    if (out.length <= DEFAULT_ELEMENT_LIMIT) this.elementsCache = out;
    return out;
  }
}

function tooMany(name: string, limit: number): LimitExceededError {
  return new LimitExceededError(
    `${name} has more than ${limit} elements; pass a larger limit, elements(limit), ` +
      `if that many matrices fit in memory.`,
  );
}

/** Breadth-first closure of permutation generators, deduplicated exactly. */
function closePermutations(
  name: string,
  d: number,
  gens: readonly Int32Array[],
  limit: number,
): Matrix[] {
  const id = permIdentity(d);
  const seen = new Set<string>([permKey(id)]);
  const queue = [id];
  for (let q = 0; q < queue.length; q++) {
    for (const h of gens) {
      const g = permMul(queue[q]!, h);
      const k = permKey(g);
      if (seen.has(k)) continue;
      if (queue.length >= limit) throw tooMany(name, limit);
      seen.add(k);
      queue.push(g);
    }
  }
  return queue.map((p) => Matrix.permutation(p));
}

/**
 * Breadth-first closure of matrix generators. Products of floating-point matrices are never
 * exactly equal, so elements are identified within 1e-7 (max entry), found through buckets of a
 * fixed random projection (neighbouring buckets are checked too, so no rounding boundary splits
 * an element).
 */
function closeMatrices(name: string, d: number, gens: readonly Matrix[], limit: number): Matrix[] {
  const tol = 1e-7;
  const width = 1e-5;
  const w = new Float64Array(d * d);
  for (let i = 0; i < w.length; i++) w[i] = Math.cos(1.7 * i + 0.3); // fixed, |w| <= 1
  const proj = (m: Matrix) => {
    let s = 0;
    for (let i = 0; i < m.data.length; i++) s += w[i]! * m.data[i]!;
    return Math.round(s / width);
  };
  const buckets = new Map<number, Matrix[]>();
  const find = (m: Matrix): boolean => {
    const b = proj(m);
    for (const k of [b - 1, b, b + 1]) {
      for (const x of buckets.get(k) ?? []) if (x.maxAbsDiff(m) <= tol) return true;
    }
    return false;
  };
  const add = (m: Matrix) => {
    const b = proj(m);
    const list = buckets.get(b);
    if (list) list.push(m);
    else buckets.set(b, [m]);
  };
  const id = Matrix.identity(d);
  add(id);
  const queue = [id];
  for (let q = 0; q < queue.length; q++) {
    for (const h of gens) {
      const g = queue[q]!.mul(h);
      if (find(g)) continue;
      if (queue.length >= limit) throw tooMany(name, limit);
      add(g);
      queue.push(g);
    }
  }
  return queue;
}

/** Options of `groupFromGenerators`. */
export interface GeneratorsSpec {
  /** Display name; should be parseable where the group is to be named in strings. */
  readonly name: string;
  readonly discrete?: readonly Matrix[];
  readonly lie?: readonly Matrix[];
  /** The dimension; required only when there are no generators. */
  readonly d?: number;
  /**
   * Declares a group without Lie generators finite (enables elements(), order(), uniform
   * sampling). Permutation groups are detected as finite automatically.
   */
  readonly finite?: boolean;
  /** Standard deviation of each Lie coefficient when sampling (one number or one per generator). */
  readonly lieScale?: number | readonly number[];
}

/**
 * A group from your own generators. Generators are validated (square, d x d, finite entries);
 * orthogonality is detected, and generators that are all exact permutation matrices make a
 * permutation group (exact order and uniform sampling by Schreier-Sims).
 */
export function groupFromGenerators(spec: GeneratorsSpec): Group {
  const { name, discrete = [], lie = [] } = spec;
  if (typeof name !== "string" || name.trim() === "") {
    throw new InvalidArgumentError("groupFromGenerators needs a non-empty name.");
  }
  const first = discrete[0] ?? lie[0];
  if (first !== undefined && !isMatrixLike(first)) {
    checkGenerators(discrete.length > 0 ? `${name}: discrete` : `${name}: lie`, [first], 0);
  }
  const d = spec.d ?? first?.rows;
  if (d === undefined || !Number.isInteger(d) || d < 1) {
    throw new InvalidArgumentError(
      `groupFromGenerators("${name}") needs generators or an integer d >= 1, got d = ${d}.`,
    );
  }
  checkGenerators(`${name}: discrete`, discrete, d);
  checkGenerators(`${name}: lie`, lie, d);
  if (spec.finite && lie.length > 0) {
    throw new InvalidArgumentError(
      `${name}: a group with Lie generators is never finite; drop finite: true or the Lie generators.`,
    );
  }
  let lieScale: number[] | undefined;
  if (spec.lieScale !== undefined) {
    lieScale =
      typeof spec.lieScale === "number"
        ? lie.map(() => spec.lieScale as number)
        : [...spec.lieScale];
    if (lieScale.length !== lie.length || lieScale.some((s) => !(Number.isFinite(s) && s >= 0))) {
      throw new InvalidArgumentError(
        `${name}: lieScale needs one finite, non-negative number per Lie generator (${lie.length}).`,
      );
    }
  }
  const perms = lie.length === 0 ? discrete.map((h) => permutationOf(h)) : [];
  const isPerm = lie.length === 0 && perms.every((p) => p !== null);
  return new MatrixGroup({
    name,
    d,
    discrete: discrete.map((h) => h.clone()),
    lie: lie.map((a) => a.clone()),
    ...(isPerm ? { permutations: perms as Int32Array[] } : {}),
    ...(spec.finite !== undefined ? { isFinite: spec.finite || isPerm } : {}),
    ...(lieScale ? { lieScale } : {}),
  });
}
