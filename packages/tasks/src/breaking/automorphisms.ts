import { InvalidArgumentError, LimitExceededError, ShapeError } from "@isotropy/core";

/** Default cap on the search nodes of `automorphismOrbits`. */
export const DEFAULT_AUTOMORPHISM_NODE_LIMIT = 100_000;

/**
 * Refines the colourings of two weighted graphs in lockstep (1-dimensional Weisfeiler–Leman):
 * a vertex's new colour is its old colour with the multiset of (neighbour colour, weight). Colours
 * are numbered by the sorted signatures of both graphs together, so equal colours mean the same
 * thing on both sides. Returns false when the colour class sizes differ (no isomorphism maps one
 * colouring to the other).
 */
function refinePair(a: ArrayLike<number>, ca: Int32Array, cb: Int32Array, n: number): boolean {
  let classes = -1;
  for (;;) {
    const sig = (c: Int32Array, v: number): string => {
      const parts: string[] = [];
      for (let u = 0; u < n; u++) {
        const w = a[v * n + u] as number;
        if (u !== v && w !== 0) parts.push(`${c[u]}:${w}`);
      }
      parts.sort();
      return `${c[v]}|${a[v * n + v]}|${parts.join(",")}`;
    };
    const sa = Array.from({ length: n }, (_, v) => sig(ca, v));
    const sb = Array.from({ length: n }, (_, v) => sig(cb, v));
    const ids = new Map<string, number>();
    for (const s of [...new Set([...sa, ...sb])].sort()) ids.set(s, ids.size);
    const count = new Int32Array(ids.size);
    for (let v = 0; v < n; v++) {
      ca[v] = ids.get(sa[v] as string) as number;
      cb[v] = ids.get(sb[v] as string) as number;
      count[ca[v] as number] = (count[ca[v] as number] as number) + 1;
      count[cb[v] as number] = (count[cb[v] as number] as number) - 1;
    }
    if (count.some((c) => c !== 0)) return false;
    if (ids.size === classes) return true;
    classes = ids.size;
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
  const base = new Int32Array(n);
  refinePair(adjacency, base, new Int32Array(n), n);
  const budget = { nodes: nodeLimit };
  for (let u = 0; u < n; u++) {
    for (let v = u + 1; v < n; v++) {
      if (base[u] !== base[v] || find(u) === find(v)) continue;
      const ca = Int32Array.from(base);
      const cb = Int32Array.from(base);
      ca[u] = n;
      cb[v] = n;
      const p = searchAutomorphism(adjacency, n, ca, cb, budget);
      if (!p) continue;
      for (let i = 0; i < n; i++) {
        const ri = find(i);
        const rj = find(p[i] as number);
        if (ri !== rj) parent[Math.max(ri, rj)] = Math.min(ri, rj);
      }
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
