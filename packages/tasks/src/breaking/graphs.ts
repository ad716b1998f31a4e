import { InvalidArgumentError, LimitExceededError, type Rng } from "@isotropy/core";

/** Graph families of `max-cut` and `ising`. */
export const GRAPH_FAMILIES = [
  "cycle",
  "hypercube",
  "torus",
  "complete-bipartite",
  "petersen",
  "random-regular",
  "erdos-renyi",
] as const;
export type GraphFamily = (typeof GRAPH_FAMILIES)[number];

/** Families whose every member is vertex-transitive (Aut(G) has one orbit). */
export const VERTEX_TRANSITIVE_FAMILIES: readonly GraphFamily[] = [
  "cycle",
  "hypercube",
  "torus",
  "complete-bipartite",
  "petersen",
];

function empty(n: number): Float64Array {
  return new Float64Array(n * n);
}

function addEdge(a: Float64Array, n: number, i: number, j: number, w = 1): void {
  a[i * n + j] = w;
  a[j * n + i] = w;
}

/** The cycle C_n (n >= 3). */
export function cycleGraph(n: number): Float64Array {
  if (!Number.isInteger(n) || n < 3)
    throw new InvalidArgumentError(`cycle: n must be >= 3, got ${n}.`);
  const a = empty(n);
  for (let i = 0; i < n; i++) addEdge(a, n, i, (i + 1) % n);
  return a;
}

/** The hypercube Q_d on 2^d vertices (d >= 1). */
export function hypercubeGraph(d: number): Float64Array {
  if (!Number.isInteger(d) || d < 1 || d > 10) {
    throw new InvalidArgumentError(`hypercube: d must be an integer in [1, 10], got ${d}.`);
  }
  const n = 2 ** d;
  const a = empty(n);
  for (let i = 0; i < n; i++) for (let b = 0; b < d; b++) addEdge(a, n, i, i ^ (1 << b));
  return a;
}

/** The torus C_p x C_q (p, q >= 3), vertex (i, j) at index i*q + j. */
export function torusGraph(p: number, q: number): Float64Array {
  if (!Number.isInteger(p) || !Number.isInteger(q) || p < 3 || q < 3) {
    throw new InvalidArgumentError(`torus: p and q must be integers >= 3, got ${p}, ${q}.`);
  }
  const n = p * q;
  const a = empty(n);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < q; j++) {
      addEdge(a, n, i * q + j, ((i + 1) % p) * q + j);
      addEdge(a, n, i * q + j, i * q + ((j + 1) % q));
    }
  }
  return a;
}

/** The complete bipartite graph K_{p,q}: parts 0..p-1 and p..p+q-1. */
export function completeBipartiteGraph(p: number, q: number): Float64Array {
  if (!Number.isInteger(p) || !Number.isInteger(q) || p < 1 || q < 1) {
    throw new InvalidArgumentError(
      `complete-bipartite: p and q must be positive integers, got ${p}, ${q}.`,
    );
  }
  const n = p + q;
  const a = empty(n);
  for (let i = 0; i < p; i++) for (let j = p; j < n; j++) addEdge(a, n, i, j);
  return a;
}

/** The Petersen graph: outer 5-cycle 0..4, spokes i -> i+5, inner pentagram. */
export function petersenGraph(): Float64Array {
  const n = 10;
  const a = empty(n);
  for (let i = 0; i < 5; i++) {
    addEdge(a, n, i, (i + 1) % 5);
    addEdge(a, n, i, i + 5);
    addEdge(a, n, 5 + i, 5 + ((i + 2) % 5));
  }
  return a;
}

/** A uniform-ish random d-regular simple graph by the pairing model with restarts. */
export function randomRegularGraph(n: number, d: number, rng: Rng): Float64Array {
  if (!Number.isInteger(n) || !Number.isInteger(d) || d < 1 || d >= n || (n * d) % 2 !== 0) {
    throw new InvalidArgumentError(
      `random-regular: need 1 <= d < n and n*d even, got n=${n}, d=${d}.`,
    );
  }
  for (let attempt = 0; attempt < 1000; attempt++) {
    const stubs = new Int32Array(n * d);
    for (let i = 0; i < n * d; i++) stubs[i] = Math.floor(i / d);
    rng.shuffle(stubs);
    const a = empty(n);
    let ok = true;
    for (let k = 0; k < stubs.length && ok; k += 2) {
      const i = stubs[k] as number;
      const j = stubs[k + 1] as number;
      if (i === j || a[i * n + j] !== 0) ok = false;
      else addEdge(a, n, i, j);
    }
    if (ok) return a;
  }
  throw new LimitExceededError(
    `random-regular: no simple ${d}-regular graph on ${n} vertices in 1000 tries.`,
  );
}

/** G(n, p) conditioned on having at least one edge. */
export function erdosRenyiGraph(n: number, p: number, rng: Rng): Float64Array {
  if (!Number.isInteger(n) || n < 2 || !(p > 0 && p <= 1)) {
    throw new InvalidArgumentError(`erdos-renyi: need n >= 2 and p in (0, 1], got n=${n}, p=${p}.`);
  }
  for (;;) {
    const a = empty(n);
    let edges = 0;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (rng.uniform() < p) {
          addEdge(a, n, i, j);
          edges++;
        }
      }
    }
    if (edges > 0) return a;
  }
}

/** The graph with vertex v renamed perm[v]: B[perm[i], perm[j]] = A[i, j]. */
export function relabelGraph(
  a: ArrayLike<number>,
  n: number,
  perm: ArrayLike<number>,
): Float64Array {
  const b = empty(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++)
      b[(perm[i] as number) * n + (perm[j] as number)] = a[i * n + j] as number;
  }
  return b;
}

/** The families that have a member on exactly n vertices (random-regular uses degree 3). */
export function familiesForSize(n: number): GraphFamily[] {
  const out: GraphFamily[] = [];
  if (n >= 4 && n % 2 === 0) out.push("cycle");
  if (n >= 2 && Number.isInteger(Math.log2(n)) && n >= 4) out.push("hypercube");
  if (torusShape(n)) out.push("torus");
  if (n >= 2 && n % 2 === 0) out.push("complete-bipartite");
  if (n === 10) out.push("petersen");
  if (n >= 4 && n % 2 === 0) out.push("random-regular");
  if (n >= 2) out.push("erdos-renyi");
  return out;
}

/** The most square p x q = n with p, q >= 3, or null. */
export function torusShape(n: number): [number, number] | null {
  for (let p = Math.floor(Math.sqrt(n)); p >= 3; p--) {
    if (n % p === 0 && n / p >= 3) return [p, n / p];
  }
  return null;
}

/** Options of `makeGraph`. */
export interface GraphOptions {
  /** Degree of random-regular graphs; default 3. */
  readonly degree?: number;
  /** Edge probability of Erdős–Rényi graphs; default 0.5. */
  readonly edgeProbability?: number;
}

/** A member of `family` on n vertices, in its construction labelling (not relabelled). */
export function makeGraph(
  family: GraphFamily,
  n: number,
  rng: Rng,
  opts: GraphOptions = {},
): Float64Array {
  if (!familiesForSize(n).includes(family)) {
    throw new InvalidArgumentError(
      `The graph family ${family} has no member on ${n} vertices; families for n=${n}: ${familiesForSize(n).join(", ")}.`,
    );
  }
  switch (family) {
    case "cycle":
      return cycleGraph(n);
    case "hypercube":
      return hypercubeGraph(Math.round(Math.log2(n)));
    case "torus": {
      const [p, q] = torusShape(n) as [number, number];
      return torusGraph(p, q);
    }
    case "complete-bipartite":
      return completeBipartiteGraph(n / 2, n / 2);
    case "petersen":
      return petersenGraph();
    case "random-regular":
      return randomRegularGraph(n, opts.degree ?? 3, rng);
    case "erdos-renyi":
      return erdosRenyiGraph(n, opts.edgeProbability ?? 0.5, rng);
  }
}
