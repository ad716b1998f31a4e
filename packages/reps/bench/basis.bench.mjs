// Time to an equivariant basis, cold cache, against a dense reference solved in the same run
// (numpy + LAPACK on the full stacked constraint matrix, as emlp does for small problems).
// Prints one JSON object. Run after a build: `pnpm --filter @isotropy/reps bench`.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRegistry } from "@isotropy/core";
import { plugin as groupsPlugin } from "@isotropy/groups";
import { equivariantBasis, MemoryCache, Scalar, T } from "../dist/index.js";

const registry = createRegistry().use(groupsPlugin);
const G = (name, ...args) => registry.create("groups", name, args);

function time(f) {
  const t0 = performance.now();
  const value = f();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

const cases = [
  { name: "SO(3) T(6)->Scalar", group: G("SO", 3), k: 6, reference: true },
  { name: "SO(3) T(7)->Scalar", group: G("SO", 3), k: 7, reference: true },
  { name: "S(5) T(5)->Scalar", group: G("S", 5), k: 5, reference: true },
  { name: "S(6) T(4)->Scalar", group: G("S", 6), k: 4, reference: true },
  { name: "SO+(1,3) T(5,0)->Scalar", group: G("SO+", 1, 3), k: 5, reference: true },
  { name: "SO(3) T(8)->Scalar", group: G("SO", 3), k: 8, reference: false },
  // The numerical route (closed forms off): what groups without a closed form get.
  {
    name: "SO(3) T(6)->Scalar numerical",
    group: G("SO", 3),
    k: 6,
    reference: true,
    closedForm: false,
  },
  {
    name: "SO(3) T(7)->Scalar numerical",
    group: G("SO", 3),
    k: 7,
    reference: true,
    closedForm: false,
  },
  {
    name: "SL(3) T(2,2)->Scalar numerical",
    group: G("SL", 3),
    k: 4,
    q: 2,
    reference: false,
    closedForm: false,
  },
];

// Warm the JIT on small problems of each route (their caches are thrown away): the timings below
// are then cold-cache solves, not first-call compilation.
for (const [g, k] of [
  [G("SO", 3), 4],
  [G("S", 4), 3],
  [G("SO", 3), 3],
]) {
  equivariantBasis(T(g, k), Scalar(g), { cache: new MemoryCache() });
  equivariantBasis(T(g, k), Scalar(g), { cache: new MemoryCache(), closedForm: false });
}

const results = [];
for (const c of cases) {
  const { value: b, seconds } = time(() =>
    equivariantBasis(T(c.group, c.k - (c.q ?? 0), c.q ?? 0), Scalar(c.group), {
      cache: new MemoryCache(),
      closedForm: c.closedForm ?? true,
    }),
  );
  results.push({ case: c.name, size: b.size, dim: b.dim, method: b.method, seconds });
}

const script = fileURLToPath(new URL("dense_reference.py", import.meta.url));
const input = cases
  .filter((c) => c.reference && !c.name.endsWith("numerical"))
  .map((c) => ({
    name: c.name,
    k: c.k,
    discrete: c.group.discreteGenerators.map((m) => m.toArray()),
    lie: c.group.lieGenerators.map((m) => m.toArray()),
  }));
const py = spawnSync("python3", [script], {
  input: JSON.stringify(input),
  encoding: "utf8",
  maxBuffer: 1 << 26,
});
const reference = py.status === 0 ? JSON.parse(py.stdout) : [];
for (const r of results) {
  const ref = reference.find((x) => x.name === r.case.replace(" numerical", ""));
  if (ref) {
    r.referenceSeconds = ref.seconds;
    r.referenceDim = ref.dim;
    r.speedup = ref.seconds / r.seconds;
    r.sameDim = ref.dim === r.dim;
  }
}

// The hidden layer of a default O(3) EMLP (384 channels) mapped to itself: cold, then cached.
const o3 = G("O", 3);
const hidden = Scalar(o3)
  .times(102)
  .plus(T(o3, 1).times(34))
  .plus(T(o3, 2).times(11))
  .plus(T(o3, 3).times(3));
const cache = new MemoryCache();
const cold = time(() => equivariantBasis(hidden, hidden, { cache }));
const warm = time(() => equivariantBasis(hidden, hidden, { cache }));
const blockBytes = cold.value.pairs.reduce(
  (s, p) => s + (p.basis.kind === "dense" ? p.basis.rows * p.basis.dim * 8 : p.basis.rows * 4),
  0,
);
results.push({
  case: "O(3) EMLP hidden 102*T0+34*T1+11*T2+3*T3 -> itself",
  size: cold.value.size,
  dim: cold.value.dim,
  method: cold.value.method,
  seconds: cold.seconds,
  cachedSeconds: warm.seconds,
  blockBytes,
  denseBasisBytes: cold.value.size * cold.value.dim * 8,
});

console.log(
  JSON.stringify({
    benchmark: "equivariant-basis",
    python: py.status === 0 ? "numpy" : `unavailable: ${py.stderr.slice(0, 200)}`,
    results,
  }),
);
