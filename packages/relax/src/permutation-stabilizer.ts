import { ConvergenceError, LimitExceededError, type Rng } from "@isotropy/core";
import { type Group, permIdentity, StabilizerChain } from "@isotropy/groups";
import { Matrix } from "@isotropy/linalg";
import type { Rep } from "@isotropy/reps";
import { BaseChain } from "./base-chain.js";
import { coordinateMap, type IndexAction } from "./index-action.js";
import { entryTolerance, norm, type ResolvedOptions } from "./options.js";
import { greedyPermGenerators, isFullSymmetric, orbitsOf, permClosure } from "./permutations.js";
import { searchAutomorphisms } from "./search.js";
import { Stabilizer, type StabilizerMethod, trivialAlgebra } from "./stabilizer-group.js";
import { type ColouredStructure, colouredStructure } from "./structure.js";
import { valueClasses } from "./value-classes.js";

/** x under the full symmetric group of its index action: automorphisms and, optionally, a canonical labelling. */
export interface SymmetricAnalysis {
  readonly structure: ColouredStructure;
  /** Generators of the group of permutations fixing x (complete). */
  readonly generators: Int32Array[];
  /** The exact order of that group. */
  readonly order: bigint;
  /** Canonical labelling (position -> point) when asked for. */
  readonly lab: Int32Array | null;
  readonly method: "colour-classes" | "partition-backtracking";
  /** A uniform random automorphism. */
  readonly random: (rng: Rng) => Int32Array;
  /** Membership in the automorphism group. */
  readonly contains: (p: Int32Array) => boolean;
  /** Search-tree nodes visited (0 for colour classes). */
  readonly nodes: number;
}

/**
 * Automorphisms of x under all of S(n). Entries are first sorted into classes of nearly equal
 * values (`valueClasses` at tol * ||x|| / sqrt(N), so that every automorphism moves x by at most
 * tol * ||x||). Without leaves of order >= 2 the answer is closed form: the product of the
 * symmetric groups of the classes of equal point colours. Otherwise the points are a coloured
 * digraph and `searchAutomorphisms` runs.
 */
export function analyseSymmetric(
  action: IndexAction,
  x: Float64Array,
  opts: ResolvedOptions,
  canonical: boolean,
): SymmetricAnalysis {
  const { codes } = valueClasses(x, entryTolerance(x, opts.tol));
  const structure = colouredStructure(action, codes);
  const n = action.n;
  if (!structure.hasRelations) {
    const classes = new Map<number, number[]>();
    for (let v = 0; v < n; v++) {
      const c = structure.vertexColours[v]!;
      let cl = classes.get(c);
      if (!cl) classes.set(c, (cl = []));
      cl.push(v);
    }
    const sorted = [...classes.entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
    const generators: Int32Array[] = [];
    let order = 1n;
    for (const cl of sorted) {
      for (let i = 2; i <= cl.length; i++) order *= BigInt(i);
      if (cl.length >= 2) {
        const t = permIdentity(n);
        t[cl[0]!] = cl[1]!;
        t[cl[1]!] = cl[0]!;
        generators.push(t);
      }
      if (cl.length >= 3) {
        const c = permIdentity(n);
        for (let i = 0; i < cl.length; i++) c[cl[i]!] = cl[(i + 1) % cl.length]!;
        generators.push(c);
      }
    }
    const random = (rng: Rng) => {
      const p = permIdentity(n);
      for (const cl of sorted) {
        const s = rng.permutation(cl.length);
        for (let i = 0; i < cl.length; i++) p[cl[i]!] = cl[s[i]!]!;
      }
      return p;
    };
    const colours = structure.vertexColours;
    const contains = (p: Int32Array) => p.every((v, i) => colours[v] === colours[i]);
    return {
      structure,
      generators,
      order,
      lab: canonical ? Int32Array.from(sorted.flat()) : null,
      method: "colour-classes",
      random,
      contains,
      nodes: 0,
    };
  }
  const r = searchAutomorphisms(structure, { canonical, nodeLimit: opts.nodeLimit });
  const chain = new BaseChain(n, r.base, r.generators);
  return {
    structure,
    generators: r.generators,
    order: chain.order(),
    lab: r.lab,
    method: "partition-backtracking",
    random: (rng) => chain.random(rng),
    contains: (p) => chain.contains(p),
    nodes: r.nodes,
  };
}

/** The elements of `group` (a permutation group on the same points) that fix the entry codes. */
function intersect(group: Group, analysis: SymmetricAnalysis, opts: ResolvedOptions): Int32Array[] {
  const n = group.d;
  const gens = group.permutationGenerators!;
  const autOrder = analysis.order;
  const limit = BigInt(opts.limit);
  if (autOrder <= limit) {
    const chain = new StabilizerChain(n, gens);
    return permClosure(n, analysis.generators, opts.limit).filter((p) => chain.contains(p));
  }
  const order = group.order();
  if (order <= limit) {
    return permClosure(n, gens, opts.limit).filter((p) => analysis.contains(p));
  }
  throw new LimitExceededError(
    `The stabilizer in ${group.name} is found by intersecting the automorphism group in S(${n}) ` +
      `(order ${autOrder}) with ${group.name} (order ${order}); both exceed the enumeration limit ` +
      `of ${opts.limit}. Pass a larger limit.`,
  );
}

/** Stabilizer of x in a permutation group acting on tensor leaves (see `indexActionOf`). */
export function permutationStabilizer(
  group: Group,
  rep: Rep,
  x: Float64Array,
  action: IndexAction,
  opts: ResolvedOptions,
): Stabilizer {
  const n = group.d;
  const analysis = analyseSymmetric(action, x, opts, false);
  let generators: Int32Array[];
  let order: bigint;
  let random: ((rng: Rng) => Int32Array) | undefined;
  let note: string;
  if (isFullSymmetric(group)) {
    generators = analysis.generators;
    order = analysis.order;
    random = analysis.random;
    note =
      analysis.method === "colour-classes"
        ? "points grouped by equal colour; the stabilizer is the product of their symmetric groups"
        : `automorphisms by refinement and individualisation (${analysis.nodes} search nodes)`;
  } else {
    const elements = intersect(group, analysis, opts);
    generators = greedyPermGenerators(n, elements);
    order = BigInt(elements.length);
    note = `automorphisms in S(${n}) intersected with ${group.name} by enumeration`;
  }
  checkFixes(action, x, generators, opts.tol);
  return buildPermutationStabilizer({
    group,
    rep,
    x,
    tol: opts.tol,
    generators,
    order,
    method: isFullSymmetric(group) ? analysis.method : "enumeration",
    note,
    ...(random ? { random } : {}),
  });
}

/** A `Stabilizer` from complete permutation generators of Stab(x) and its order. */
export function buildPermutationStabilizer(init: {
  group: Group;
  rep: Rep;
  x: Float64Array;
  tol: number;
  generators: Int32Array[];
  order: bigint;
  method: StabilizerMethod;
  note: string;
  random?: (rng: Rng) => Int32Array;
}): Stabilizer {
  const { group, generators, random } = init;
  const n = group.d;
  const toElement = (p: Int32Array) => Matrix.permutation(p);
  return new Stabilizer({
    group,
    rep: init.rep,
    x: init.x,
    tol: init.tol,
    method: init.method,
    generators: generators.map(toElement),
    permutations: generators,
    order: init.order,
    algebra: trivialAlgebra(0),
    discreteComplete: true,
    orbits: orbitsOf(n, generators),
    model: {
      kind: "permutations",
      degree: n,
      generators,
      toElement,
      ...(random ? { random } : {}),
    },
    note: init.note,
  });
}

/** Every generator must move x by at most tol * ||x|| (guaranteed by the value classes). */
export function checkFixes(
  action: IndexAction,
  x: Float64Array,
  generators: readonly Int32Array[],
  tol: number,
): void {
  const bound = tol * norm(x);
  for (const g of generators) {
    const map = coordinateMap(action, g);
    let s = 0;
    for (let i = 0; i < x.length; i++) s += (x[map[i]!]! - x[i]!) ** 2;
    if (Math.sqrt(s) > bound) {
      throw new ConvergenceError(
        `An automorphism moves x by ${Math.sqrt(s)}, more than tol * ||x|| = ${bound}: ` +
          `the value classes of x are ambiguous at this tolerance.`,
      );
    }
  }
}
