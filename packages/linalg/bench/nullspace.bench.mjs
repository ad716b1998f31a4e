// Null-space benchmark: so(3) invariants of V^{⊗k}, i.e. the null space of the stacked
// constraint C = [L_x ⊕ ... ⊕ L_x; L_y ⊕ ...; L_z ⊕ ...] (3 * 3^k x 3^k), solved by
//   - nullSpaceIterative on the lazy operator (products with C and C^T only),
//   - nullSpace (ours, dense: eigen-decomposition of C^T C plus refinement),
//   - numpy/scipy on the same dense matrix, in a python3 subprocess (eigh of C^T C, thin SVD).
// Prints one JSON object. Runs on the built package: `pnpm bench` builds first.
// Options: --ks=5,6,7,8  --dense-max-k=6  --numpy-max-k=7  --repeat=3
import { execFileSync } from "node:child_process";
import os from "node:os";
import { kronSum, Matrix, nullSpace, nullSpaceIterative, vstack } from "../dist/index.js";

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, "").split("=");
    return [k, v ?? "true"];
  }),
);
const ks = (args.ks ?? "5,6,7,8").split(",").map(Number);
const denseMaxK = Number(args["dense-max-k"] ?? 6);
const numpyMaxK = Number(args["numpy-max-k"] ?? 7);
const repeat = Number(args.repeat ?? 3);

const generators = [
  [
    [0, 0, 0],
    [0, 0, -1],
    [0, 1, 0],
  ],
  [
    [0, 0, 1],
    [0, 0, 0],
    [-1, 0, 0],
  ],
  [
    [0, -1, 0],
    [1, 0, 0],
    [0, 0, 0],
  ],
].map((rows) => Matrix.fromRows(rows));

function constraint(k) {
  return vstack(...generators.map((g) => kronSum(...Array.from({ length: k }, () => g))));
}

/** Median wall time in seconds over `times` runs, and the last result. */
function timed(f, times) {
  const ts = [];
  let out;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    out = f();
    ts.push((performance.now() - t0) / 1000);
  }
  ts.sort((a, b) => a - b);
  return { seconds: ts[Math.floor(ts.length / 2)], result: out };
}

/** max_j ||C x_j|| / ||C||_2 (||C||_2 = sqrt(k (k + 1)) for this constraint). */
function relativeResidual(c, x, k) {
  const cx = c.matmat(x);
  let worst = 0;
  for (let j = 0; j < x.cols; j++) {
    let s = 0;
    for (let i = 0; i < cx.rows; i++) s += cx.data[i * cx.cols + j] ** 2;
    worst = Math.max(worst, Math.sqrt(s));
  }
  return worst / Math.sqrt(k * (k + 1));
}

const python = `
import json, sys, time
import numpy as np
L = [np.array(m, float) for m in ${JSON.stringify(generators.map((g) => g.toArray()))}]
def kronsum(a, k):
    n = 3 ** k
    out = np.zeros((n, n))
    for j in range(k):
        t = np.ones((1, 1))
        for i in range(k):
            t = np.kron(t, a if i == j else np.eye(3))
        out += t
    return out
out = {"numpy": np.__version__}
def median_time(f, times):
    ts = []
    for _ in range(times):
        t0 = time.perf_counter()
        r = f()
        ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2], r
repeat = ${repeat}
for k in map(int, sys.argv[1:]):
    C = np.vstack([kronsum(a, k) for a in L])
    n = C.shape[1]
    te, w = median_time(lambda: np.linalg.eigh(C.T @ C)[0], repeat if n <= 2187 else 1)
    ts = None
    null_dim = int((w <= 1e-12 * w[-1]).sum())
    if n <= 2187:  # the thin SVD of the k = 8 matrix takes many minutes
        ts, s = median_time(lambda: np.linalg.svd(C, full_matrices=False)[1], repeat if n <= 729 else 1)
        null_dim = int((s <= 1e-8 * s[0]).sum())
    out[k] = {"eigh_s": te, "svd_s": ts, "nullDim": null_dim}
print(json.dumps(out))
`;

function runNumpy(kList) {
  if (kList.length === 0) return { numpy: null };
  try {
    const text = execFileSync("python3", ["-c", python, ...kList.map(String)], {
      encoding: "utf8",
      maxBuffer: 1 << 20,
    });
    return JSON.parse(text);
  } catch (e) {
    return { numpy: null, error: String(e).slice(0, 200) };
  }
}

const numpy = runNumpy(ks.filter((k) => k <= numpyMaxK));
// Warm the JIT on a small problem so that the first timed size does not pay for compilation.
for (let i = 0; i < 5; i++) {
  nullSpaceIterative(constraint(5));
  nullSpace(constraint(4));
}
const results = [];
for (const k of ks) {
  const c = constraint(k);
  const row = { k, n: c.cols, rows: c.rows };
  const it = timed(() => nullSpaceIterative(c), k >= 8 ? Math.min(repeat, 2) : repeat);
  row.nullDim = it.result.cols;
  row.iterative_s = round(it.seconds);
  row.iterative_residual = Number(relativeResidual(c, it.result, k).toExponential(2));
  if (k <= denseMaxK) {
    const d = timed(() => nullSpace(c), k >= 6 ? 1 : repeat);
    row.dense_s = round(d.seconds);
    row.dense_nullDim = d.result.cols;
    row.dense_over_iterative = round(d.seconds / it.seconds);
  } else {
    row.dense_s = null;
  }
  const np = numpy[k];
  row.numpy_eigh_s = np ? round(np.eigh_s) : null;
  row.numpy_svd_s = np?.svd_s != null ? round(np.svd_s) : null;
  row.numpy_nullDim = np ? np.nullDim : null;
  row.numpy_eigh_over_iterative = np ? round(np.eigh_s / it.seconds) : null;
  results.push(row);
}

console.log(
  JSON.stringify({
    benchmark: "so(3) invariants of V^{⊗k}: null space of vstack_a kronSum(L_a, ..., L_a)",
    machine: {
      cpus: os.cpus().length,
      cpu: os.cpus()[0]?.model ?? "unknown",
      node: process.version,
      numpy: numpy.numpy ?? null,
    },
    notes:
      "seconds are medians of repeated runs (single runs for the largest sizes); dense = ours (eigen of C^T C + SVD refinement); " +
      "numpy times are LAPACK (OpenBLAS, all cores) on the explicit matrix, excluding its construction",
    results,
  }),
);

function round(x) {
  return Number(x.toPrecision(3));
}
