import { LimitExceededError } from "@isotropy/core";
import { isIdentityPerm } from "@isotropy/groups";
import { mix, Partition, refine } from "./partition.js";
import { orbitsOf } from "./permutations.js";
import { type ColouredStructure, certificate, compareCertificates } from "./structure.js";

/** What the refinement-and-individualisation search found. */
export interface SearchResult {
  /**
   * Generators of the automorphism group: permutations p with x(p(t)) = x(t) for every index
   * tuple t (so rho(P) x = x). Complete: they generate the whole group.
   */
  readonly generators: Int32Array[];
  /** The canonical labelling, position -> point (only when `canonical` was asked for). */
  readonly lab: Int32Array | null;
  /** The canonical certificate (only when `canonical` was asked for). */
  readonly certificate: Int32Array | null;
  /**
   * The first path (the points individualised on the way to the first leaf): a base of the
   * automorphism group, relative to which `generators` is a strong generating set.
   */
  readonly base: number[];
  /** Search-tree nodes visited. */
  readonly nodes: number;
}

interface Leaf {
  lab: Int32Array;
  cert: Int32Array;
  path: number[];
  inv: number[];
}

/**
 * A small nauty-style search (McKay 1981; McKay & Piperno 2014) over ordered partitions of the
 * points: equitable refinement, then individualisation of each point of the first smallest
 * non-singleton cell, depth first. Leaves (discrete partitions) are labellings; two leaves with
 * equal certificates differ by an automorphism.
 *
 * - Automorphisms: every leaf is compared with the first leaf (and the best one); a match gives
 *   a generator and the search jumps back to where the two paths diverge. Children of a node in
 *   one orbit of the generators found so far that fix the node's individualised points are
 *   explored once. Subtrees whose refinement trace differs from the first path's at the same
 *   depth cannot hold a leaf equivalent to the first one. The generators found this way
 *   generate the whole automorphism group (the standard argument: at every level of the first
 *   path, every child is either shown equivalent to the first path's child or explored), and
 *   they are a strong generating set relative to the first path as a base.
 * - Canonical labelling (`canonical: true`): the canonical leaf minimises (node invariants along
 *   the path, then the certificate) lexicographically; node invariants are (number of cells,
 *   refinement trace hash), so subtrees whose invariants exceed the best path's are pruned. All
 *   choices depend only on the structure, so relabelled inputs give the same certificate.
 */
export function searchAutomorphisms(
  s: ColouredStructure,
  opts: { canonical: boolean; nodeLimit: number },
): SearchResult {
  const { n } = s.pairs;
  const gens: Int32Array[] = [];
  let first: Leaf | null = null;
  let best: Leaf | null = null;
  let nodes = 0;
  const path: number[] = [];
  const invAt: number[] = [];
  // Per depth: whether the path so far has the first path's invariants, and how it compares
  // with the best path's (-1 smaller, 0 equal, 1 larger).
  const eqAt: boolean[] = [];
  const cmpAt: number[] = [];

  const root = Partition.fromColours(s.vertexColours);
  const queue = new Uint8Array(n);
  for (let st = 0; st < n; st = root.cellEnd[st]!) queue[st] = 1;
  refine(root, s.pairs, queue);

  const invOf = (p: Partition) => mix(p.trace, p.cells);
  const divergence = (a: number[], b: number[]) => {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return i;
  };
  const automorphism = (from: Int32Array, to: Int32Array) => {
    const g = new Int32Array(n);
    for (let i = 0; i < n; i++) g[from[i]!] = to[i]!;
    if (!isIdentityPerm(g)) gens.push(g);
  };
  const setBest = (leaf: Leaf, depth: number) => {
    best = leaf;
    for (let k = 0; k <= depth; k++) cmpAt[k] = 0;
  };

  const leafAt = (p: Partition, depth: number): number => {
    const lab = p.lab.slice();
    const cert = certificate(s, lab);
    const leaf: Leaf = { lab, cert, path: path.slice(0, depth), inv: invAt.slice(0, depth + 1) };
    if (!first) {
      first = leaf;
      best = leaf;
      for (let k = 0; k <= depth; k++) {
        eqAt[k] = true;
        cmpAt[k] = 0;
      }
      return depth;
    }
    if (eqAt[depth] && compareCertificates(cert, first.cert) === 0) {
      automorphism(first.lab, lab);
      return divergence(leaf.path, first.path);
    }
    if (!opts.canonical) return depth;
    const b = best!;
    if (cmpAt[depth]! < 0) {
      setBest(leaf, depth);
      return depth;
    }
    if (cmpAt[depth] === 0) {
      const c = compareCertificates(cert, b.cert);
      if (c === 0) {
        automorphism(b.lab, lab);
        return divergence(leaf.path, b.path);
      }
      if (c < 0) setBest(leaf, depth);
    }
    return depth;
  };

  const visit = (p: Partition, depth: number): number => {
    if (++nodes > opts.nodeLimit) {
      throw new LimitExceededError(
        `The refinement-and-individualisation search on ${n} points visited more than ` +
          `${opts.nodeLimit} nodes (nodeLimit); pass a larger nodeLimit.`,
      );
    }
    if (p.isDiscrete) return leafAt(p, depth);
    const t = p.targetCell();
    const cell = Array.from(p.lab.subarray(t, p.cellEnd[t]!));
    const explored: number[] = [];
    for (const w of cell) {
      if (explored.length > 0) {
        const prefix = path.slice(0, depth);
        const fixing = gens.filter((g) => prefix.every((u) => g[u] === u));
        if (fixing.length > 0) {
          const orbit = orbitsOf(n, fixing).find((o) => o.includes(w))!;
          if (explored.some((e) => orbit.includes(e))) continue;
        }
      }
      explored.push(w);
      const child = p.clone();
      const at = child.individualize(w);
      const q = new Uint8Array(n);
      q[at] = 1;
      refine(child, s.pairs, q);
      path[depth] = w;
      const inv = invOf(child);
      invAt[depth + 1] = inv;
      const f = first as Leaf | null;
      const bst = best as Leaf | null;
      eqAt[depth + 1] = f === null || (eqAt[depth]! && f.inv[depth + 1] === inv);
      cmpAt[depth + 1] =
        bst === null
          ? 0
          : cmpAt[depth] !== 0
            ? cmpAt[depth]!
            : bst.inv[depth + 1] === undefined
              ? 1
              : Math.sign(inv - bst.inv[depth + 1]!);
      if (!eqAt[depth + 1] && (!opts.canonical || cmpAt[depth + 1]! > 0)) continue;
      const r = visit(child, depth + 1);
      if (r < depth) return r;
    }
    return depth;
  };

  invAt[0] = invOf(root);
  eqAt[0] = true;
  cmpAt[0] = 0;
  visit(root, 0);
  const b = best as Leaf | null;
  return {
    generators: gens,
    lab: opts.canonical && b ? b.lab : null,
    certificate: opts.canonical && b ? b.cert : null,
    base: (first as Leaf | null)?.path ?? [],
    nodes,
  };
}
