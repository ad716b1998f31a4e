// Graph families for the tests: adjacency matrices flattened row-major (the T(2) layout of S(n)).

export function fromEdges(n: number, edges: readonly [number, number][]): Float64Array {
  const a = new Float64Array(n * n);
  for (const [i, j] of edges) {
    a[i * n + j] = 1;
    a[j * n + i] = 1;
  }
  return a;
}

export function cycle(n: number): Float64Array {
  return fromEdges(
    n,
    Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number]),
  );
}

export function hypercube(dim: number): Float64Array {
  const n = 1 << dim;
  const edges: [number, number][] = [];
  for (let v = 0; v < n; v++)
    for (let b = 0; b < dim; b++) if (!(v & (1 << b))) edges.push([v, v | (1 << b)]);
  return fromEdges(n, edges);
}

export function petersen(): Float64Array {
  const edges: [number, number][] = [];
  for (let i = 0; i < 5; i++) {
    edges.push([i, (i + 1) % 5]);
    edges.push([i, i + 5]);
    edges.push([i + 5, ((i + 2) % 5) + 5]);
  }
  return fromEdges(10, edges);
}

export function completeBipartite(a: number, b: number): Float64Array {
  const edges: [number, number][] = [];
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) edges.push([i, a + j]);
  return fromEdges(a + b, edges);
}

/** The r x c torus grid C_r □ C_c. */
export function torus(r: number, c: number): Float64Array {
  const edges: [number, number][] = [];
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < c; j++) {
      edges.push([i * c + j, i * c + ((j + 1) % c)]);
      edges.push([i * c + j, ((i + 1) % r) * c + j]);
    }
  }
  return fromEdges(r * c, edges);
}

export function complete(n: number): Float64Array {
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) edges.push([i, j]);
  return fromEdges(n, edges);
}

/** Relabels a graph: vertex i of the result is vertex p[i] of a (rho(P) a for T(2)). */
export function relabel(a: Float64Array, n: number, p: Int32Array): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i * n + j] = a[p[i]! * n + p[j]!]!;
  return out;
}

/** The Shrikhande graph: Z4 x Z4, (a, b) ~ (c, d) iff the difference is ±(0,1), ±(1,0), ±(1,1). */
export function shrikhande(): Float64Array {
  const edges: [number, number][] = [];
  const diffs = [
    [0, 1],
    [1, 0],
    [1, 1],
  ];
  for (let a = 0; a < 4; a++) {
    for (let b = 0; b < 4; b++) {
      for (const [da, db] of diffs) edges.push([a * 4 + b, ((a + da!) % 4) * 4 + ((b + db!) % 4)]);
    }
  }
  return fromEdges(16, edges);
}

/** The rook's graph K_m □ K_m: cells of an m x m board, adjacent in the same row or column. */
export function rook(m: number): Float64Array {
  const edges: [number, number][] = [];
  for (let i = 0; i < m * m; i++) {
    for (let j = i + 1; j < m * m; j++) {
      if (Math.floor(i / m) === Math.floor(j / m) || i % m === j % m) edges.push([i, j]);
    }
  }
  return fromEdges(m * m, edges);
}

/** An Erdős–Rényi graph G(n, p). */
export function randomGraph(n: number, p: number, r: { uniform(): number }): Float64Array {
  const edges: [number, number][] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) if (r.uniform() < p) edges.push([i, j]);
  return fromEdges(n, edges);
}

/** Number of automorphisms of a graph by trying all n! permutations (Heap's algorithm). */
export function bruteForceAutomorphisms(a: Float64Array, n: number): number {
  const p = Array.from({ length: n }, (_, i) => i);
  const c = new Array<number>(n).fill(0);
  const isAut = () => {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) if (a[p[i]! * n + p[j]!] !== a[i * n + j]) return false;
    }
    return true;
  };
  let count = isAut() ? 1 : 0;
  let i = 1;
  while (i < n) {
    if (c[i]! < i) {
      const k = i % 2 === 0 ? 0 : c[i]!;
      [p[k], p[i]] = [p[i]!, p[k]!];
      if (isAut()) count++;
      c[i]!++;
      i = 1;
    } else {
      c[i] = 0;
      i++;
    }
  }
  return count;
}
