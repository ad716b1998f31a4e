import { InvalidArgumentError, LimitExceededError, ShapeError } from "@isotropy/core";

/** Default cap on the search nodes of `automorphismOrbits`. */
export const DEFAULT_AUTOMORPHISM_NODE_LIMIT = 100_000;

/** Lexicographic order of two signatures (a shorter prefix first). */
function compareSignatures(x: Float64Array, y: Float64Array): number {
  const m = Math.min(x.length, y.length);
  for (let i = 0; i < m; i++) {
    const d = (x[i] as number) - (y[i] as number);
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

/**
 * Vertex v's signature under colouring c: its colour, its loop weight, then its (neighbour
 * colour, edge weight) pairs in increasing order. Numbers, not strings: refinement runs once per
 * search node, and building and sorting strings was most of a graph task's data preparation.
 */
function signature(a: ArrayLike<number>, c: Int32Array, v: number, n: number): Float64Array {
  const nbr: number[] = [];
  for (let u = 0; u < n; u++) if (u !== v && a[v * n + u] !== 0) nbr.push(u);
  nbr.sort(
    (p, q) =>
      (c[p] as number) - (c[q] as number) || (a[v * n + p] as number) - (a[v * n + q] as number),
  );
  const sig = new Float64Array(2 + 2 * nbr.length);
  sig[0] = c[v] as number;
  sig[1] = a[v * n + v] as number;
  nbr.forEach((u, k) => {
    sig[2 + 2 * k] = c[u] as number;
    sig[3 + 2 * k] = a[v * n + u] as number;
  });
  return sig;
}

/**
 * Refines the colourings of two weighted graphs in lockstep (1-dimensional Weisfeiler–Leman):
 * a vertex's new colour is its old colour with the multiset of (neighbour colour, weight). Colours
 * are numbered by the sorted signatures of both graphs together, so equal colours mean the same
 * thing on both sides. Returns false when the colour class sizes differ (no isomorphism maps one
 * colouring to the other).
 */
function refinePair(a: ArrayLike<number>, ca: Int32Array, cb: Int32Array, n: number): boolean {
  let classes = -1;
  const sigs: Float64Array[] = new Array(2 * n);
  const order = Array.from({ length: 2 * n }, (_, i) => i);
  for (;;) {
    for (let v = 0; v < n; v++) {
      sigs[v] = signature(a, ca, v, n);
      sigs[n + v] = signature(a, cb, v, n);
    }
    order.sort((i, j) => compareSignatures(sigs[i] as Float64Array, sigs[j] as Float64Array));
    const count = new Int32Array(2 * n);
    let id = -1;
    for (let k = 0; k < 2 * n; k++) {
      const i = order[k] as number;
      const prev = order[k - 1] as number;
      if (k === 0 || compareSignatures(sigs[prev] as Float64Array, sigs[i] as Float64Array) !== 0)
        id++;
      if (i < n) {
        ca[i] = id;
        count[id] = (count[id] as number) + 1;
      } else {
        cb[i - n] = id;
        count[id] = (count[id] as number) - 1;
      }
    }
    if (count.some((c) => c !== 0)) return false;
    if (id + 1 === classes) return true;
    classes = id + 1;
  }
}

/**
 * An invariant of the vertex-coloured graph: refines c alone, numbering each signature through
 * `table` (shared by all calls), and returns the stable colouring's sorted colours as text. Two
 * colourings that an automorphism maps onto each other refine through the same signatures in the
 * same rounds, so they give the same text; different texts rule a mapping out without a search.
 */
function refinedInvariant(
  a: ArrayLike<number>,
  c: Int32Array,
  n: number,
  table: Map<string, number>,
): string {
  let classes = -1;
  for (;;) {
    const next = new Int32Array(n);
    const seen = new Set<number>();
    for (let v = 0; v < n; v++) {
      const key = signature(a, c, v, n).join(",");
      let id = table.get(key);
      if (id === undefined) {
        id = table.size;
        table.set(key, id);
      }
      next[v] = id;
      seen.add(id);
    }
    c.set(next);
    if (seen.size === classes)
      return Array.from(c)
        .sort((x, y) => x - y)
        .join(",");
    classes = seen.size;
  }
}

/** An automorphism p (vertex v -> p[v]) mapping the colouring ca to cb, or null. */
function searchAutomorphism(
  a: ArrayLike<number>,
  n: number,
  ca: Int32Array,
  cb: Int32Array,
  budget: { nodes: number },
): Int32Array | null {
  if (--budget.nodes < 0) {
    throw new LimitExceededError(
      "automorphismOrbits: the search passed its node limit; raise nodeLimit or use @isotropy/relax's stabilizer.",
    );
  }
  if (!refinePair(a, ca, cb, n)) return null;
  const size = new Int32Array(n);
  for (let v = 0; v < n; v++) size[ca[v] as number] = (size[ca[v] as number] as number) + 1;
  let target = -1;
  for (let c = 0; c < n; c++) {
    if (
      (size[c] as number) > 1 &&
      (target === -1 || (size[c] as number) < (size[target] as number))
    ) {
      target = c;
    }
  }
  if (target === -1) {
    const p = new Int32Array(n);
    const where = new Int32Array(n);
    for (let u = 0; u < n; u++) where[cb[u] as number] = u;
    for (let v = 0; v < n; v++) p[v] = where[ca[v] as number] as number;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (a[i * n + j] !== a[(p[i] as number) * n + (p[j] as number)]) return null;
      }
    }
    return p;
  }
  const v = ca.indexOf(target);
  const fresh = n; // a colour no refined colouring uses (colours are < n)
  for (let u = 0; u < n; u++) {
    if (cb[u] !== target) continue;
    const na = Int32Array.from(ca);
    const nb = Int32Array.from(cb);
    na[v] = fresh;
    nb[u] = fresh;
    const p = searchAutomorphism(a, n, na, nb, budget);
    if (p) return p;
  }
  return null;
}

/**
 * The orbits of the automorphism group of a weighted graph (n x n symmetric matrix, row-major):
 * refinement and individualisation, one search per pair of vertices that refinement cannot tell
 * apart and no automorphism found so far joins. Each orbit sorted, orbits by their least vertex.
 * `LimitExceededError` past `nodeLimit` search nodes.
 */
export function automorphismOrbits(
  adjacency: ArrayLike<number>,
  n: number,
  nodeLimit: number = DEFAULT_AUTOMORPHISM_NODE_LIMIT,
): number[][] {
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`automorphismOrbits: n must be a positive integer, got ${n}.`);
  }
  if (adjacency.length !== n * n) {
    throw new ShapeError(
      "automorphismOrbits: the matrix",
      `${n} x ${n} (${n * n} numbers)`,
      `${adjacency.length} numbers`,
    );
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const w = adjacency[i * n + j] as number;
      if (!Number.isFinite(w) || w !== adjacency[j * n + i]) {
        throw new InvalidArgumentError(
          "automorphismOrbits: the matrix must be finite and symmetric.",
        );
      }
    }
  }
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i] as number] as number;
      i = parent[i] as number;
    }
    return i;
  };
  const join = (i: number, j: number): void => {
    const ri = find(i);
    const rj = find(j);
    if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
  };
  // Twins (same loop weight, same weights to every other vertex) are swapped by the
  // transposition (u v), an automorphism: joining them first spares complete bipartite and
  // similar graphs a search as deep as the graph per pair.
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (adjacency[u * n + u] !== adjacency[v * n + v]) continue;
      let twins = true;
      for (let w = 0; w < n && twins; w++) {
        if (w !== u && w !== v && adjacency[u * n + w] !== adjacency[v * n + w]) twins = false;
      }
      if (twins) join(u, v);
    }
  }
  const base = new Int32Array(n);
  refinePair(adjacency, base, new Int32Array(n), n);
  const budget = { nodes: nodeLimit };
  // u -> v needs (G, u individualised) and (G, v individualised) to refine alike.
  const table = new Map<string, number>();
  const invariants = new Map<number, string>();
  const invariant = (u: number): string => {
    let text = invariants.get(u);
    if (text === undefined) {
      const c = Int32Array.from(base);
      c[u] = n;
      text = refinedInvariant(adjacency, c, n, table);
      invariants.set(u, text);
    }
    return text;
  };
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (base[u] !== base[v] || find(u) === find(v) || invariant(u) !== invariant(v)) continue;
      const ca = Int32Array.from(base);
      const cb = Int32Array.from(base);
      ca[u] = n;
      cb[v] = n;
      const p = searchAutomorphism(adjacency, n, ca, cb, budget);
      if (!p) continue;
      for (let i = 0; i < n; i++) join(i, p[i] as number);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(i);
    else groups.set(r, [i]);
  }
  return [...groups.values()].sort((x, y) => (x[0] as number) - (y[0] as number));
}
