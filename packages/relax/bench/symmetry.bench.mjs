// Times graph automorphisms (stabilizer) and canonical labelling (canonicalize) of S(n) acting on
// adjacency matrices (T(2)), for the graph families of the symmetry-breaking tasks, and prints one
// JSON object. Run after a build: `pnpm --filter @isotropy/relax bench`.
import { rng } from "@isotropy/core";
import { S } from "@isotropy/groups";
import { T } from "@isotropy/reps";
import { canonicalize, stabilizer } from "../dist/index.js";

function fromEdges(n, edges) {
  const a = new Float64Array(n * n);
  for (const [i, j] of edges) a[i * n + j] = a[j * n + i] = 1;
  return a;
}
const cycle = (n) =>
  fromEdges(
    n,
    Array.from({ length: n }, (_, i) => [i, (i + 1) % n]),
  );
function hypercube(d) {
  const e = [];
  for (let v = 0; v < 1 << d; v++)
    for (let b = 0; b < d; b++) if (!(v & (1 << b))) e.push([v, v | (1 << b)]);
  return fromEdges(1 << d, e);
}
function torus(r, c) {
  const e = [];
  for (let i = 0; i < r; i++)
    for (let j = 0; j < c; j++)
      e.push([i * c + j, i * c + ((j + 1) % c)], [i * c + j, ((i + 1) % r) * c + j]);
  return fromEdges(r * c, e);
}
function bipartite(a, b) {
  const e = [];
  for (let i = 0; i < a; i++) for (let j = 0; j < b; j++) e.push([i, a + j]);
  return fromEdges(a + b, e);
}
function randomGraph(n, p, r) {
  const e = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (r.uniform() < p) e.push([i, j]);
  return fromEdges(n, e);
}
function randomRegular(n, d, r) {
  // Random d-regular graph by the pairing model (retry until simple).
  for (;;) {
    const stubs = [];
    for (let v = 0; v < n; v++) for (let k = 0; k < d; k++) stubs.push(v);
    r.shuffle(stubs);
    const a = new Float64Array(n * n);
    let ok = true;
    for (let i = 0; i < stubs.length; i += 2) {
      const [u, v] = [stubs[i], stubs[i + 1]];
      if (u === v || a[u * n + v]) {
        ok = false;
        break;
      }
      a[u * n + v] = a[v * n + u] = 1;
    }
    if (ok) return a;
  }
}

function time(f, reps) {
  f();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) f();
  return (performance.now() - t0) / reps;
}

const r = rng(1);
const cases = [
  ["cycle C32", 32, cycle(32)],
  ["hypercube Q5", 32, hypercube(5)],
  ["torus 4x8", 32, torus(4, 8)],
  ["K_{16,16}", 32, bipartite(16, 16)],
  ["random 3-regular n=32", 32, randomRegular(32, 3, r)],
  ["G(32, 0.5)", 32, randomGraph(32, 0.5, r)],
  ["cycle C128", 128, cycle(128)],
  ["hypercube Q7", 128, hypercube(7)],
  ["torus 16x16", 256, torus(16, 16)],
];
const results = [];
for (const [name, n, a] of cases) {
  const G = S(n);
  const rep = T(G, 2);
  const st = stabilizer(G, rep, a);
  const reps = n <= 32 ? 20 : 3;
  results.push({
    graph: name,
    n,
    automorphismGroupOrder: st.order.toString(),
    stabilizerMs: +time(() => stabilizer(G, rep, a), reps).toFixed(2),
    canonicalizeMs: +time(() => canonicalize(G, rep, a), reps).toFixed(2),
  });
}
console.log(
  JSON.stringify(
    { benchmark: "@isotropy/relax symmetry", node: process.version, results },
    null,
    2,
  ),
);
