// Reproduces emlp's data-efficiency table (Finzi et al. 2021) with the CLI's own training path
// and prints ONE JSON object: per cell the mean test MSE over seeds, the published number, their
// ratio, the EMLP equivariance error and wall times.
//
//   node bench/reproduce.mjs                 quick: N=1000, seed 0, 30 epochs (minutes)
//   node bench/reproduce.mjs --full          emlp's protocol: N in {100, 1000}, seeds 0-2,
//                                            epochs min(30*30000/N, 1000) (hours on 2 cores)
//   --cells inertia:1000:emlp,inertia:1000:mlp   only these cells;  --seeds 0,1;  --epochs E
//   --group "SO(3)"                          every cell on this group (the table's SO columns)
//   --schedule cosine                        the learning-rate schedule (default constant)
//   --fresh-test-sets K                      also score each model on K fresh test sets
//   --data-seed D                            one data pool for every seed (emlp's trials share one)
//   --pool emlp                              emlp's own data: numpy's generator and emlp's split
//                                            (data seed 2021 unless --data-seed)
import { createRegistry, registerBuiltins } from "isotropy";
import { defaultEpochs, trainCommand } from "../dist/commands/train.js";

// emlp's published mean test MSE (Table: data efficiency), per task, N and model.
const PUBLISHED = {
  "o5-synthetic": {
    100: { mlp: 2.83, "mlp-aug": 0.397, emlp: 0.0408 },
    1000: { mlp: 0.0892, "mlp-aug": 0.0633, emlp: 0.017 },
  },
  inertia: {
    100: { mlp: 7.91, "mlp-aug": 1.78, emlp: 1.44 },
    1000: { mlp: 3.24, "mlp-aug": 0.13, emlp: 0.136 },
  },
  "particle-interaction": {
    100: { mlp: 0.733, "mlp-aug": 0.19, emlp: 0.00888 },
    1000: { mlp: 0.364, "mlp-aug": 0.0125, emlp: 3.3e-4 },
  },
};

// The published EMLP numbers on the subgroups (same table), per task and N.
const PUBLISHED_SUBGROUP = {
  "SO(5)": { "o5-synthetic": { 1000: 0.0198 } },
  "SO(3)": { inertia: { 100: 1.16, 1000: 0.0604 } },
  "SO+(1,3)": { "particle-interaction": { 1000: 3.3e-4 } },
};

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const full = args.includes("--full");
const ns = full ? [100, 1000] : [1000];
const seeds = (flag("--seeds") ?? (full ? "0,1,2" : "0")).split(",").map(Number);
let cells = [];
for (const task of Object.keys(PUBLISHED))
  for (const n of ns)
    for (const model of ["emlp", "mlp", "mlp-aug"]) cells.push({ task, n, model });
if (flag("--cells")) {
  cells = flag("--cells")
    .split(",")
    .map((c) => {
      const [task, n, model] = c.split(":");
      return { task, n: Number(n), model };
    });
}

const registry = registerBuiltins(createRegistry());
const silent = { out: () => {}, err: () => {}, isTTY: false };
const results = [];
for (const cell of cells) {
  const epochs = Number(flag("--epochs") ?? (full ? defaultEpochs(cell.n) : 30));
  const runs = [];
  const t0 = performance.now();
  for (const seed of seeds) {
    runs.push(
      await trainCommand(registry, silent, {
        task: cell.task,
        model: cell.model,
        ...(flag("--group") ? { group: flag("--group") } : {}),
        nTrain: String(cell.n),
        epochs: String(epochs),
        batch: "500",
        lr: "3e-3",
        seed: String(seed),
        backend: flag("--backend") ?? "auto",
        channels: "384",
        layers: "3",
        schedule: flag("--schedule") ?? "constant",
        ...(flag("--fresh-test-sets") ? { freshTestSets: flag("--fresh-test-sets") } : {}),
        ...(flag("--data-seed") ? { dataSeed: flag("--data-seed") } : {}),
        ...(flag("--pool") ? { pool: flag("--pool") } : {}),
      }),
    );
  }
  const mean = runs.reduce((s, r) => s + r.testMSE, 0) / runs.length;
  const group = flag("--group");
  const published = group
    ? cell.model === "emlp"
      ? PUBLISHED_SUBGROUP[group]?.[cell.task]?.[cell.n]
      : undefined
    : PUBLISHED[cell.task]?.[cell.n]?.[cell.model];
  results.push({
    ...cell,
    group: runs[0].group,
    epochs,
    seeds,
    pool: runs[0].pool,
    dataSeeds: runs.map((r) => r.dataSeed),
    testMSE: mean,
    perSeed: runs.map((r) => r.testMSE),
    published,
    ratioToPublished: published ? mean / published : null,
    ...(runs[0].freshTestMSE
      ? {
          // per seed: the mean and median over its fresh test sets; then their means over seeds
          freshTestMSE: {
            sets: runs[0].freshTestMSE.sets,
            mean: runs.reduce((s, r) => s + r.freshTestMSE.mean, 0) / runs.length,
            median: runs.reduce((s, r) => s + r.freshTestMSE.median, 0) / runs.length,
            perSeed: runs.map((r) => r.freshTestMSE),
          },
        }
      : {}),
    equivarianceError: Math.max(...runs.map((r) => r.equivarianceError)),
    backend: runs[0].backend,
    wallSeconds: (performance.now() - t0) / 1000,
  });
  process.stderr.write(
    `${cell.task} N=${cell.n} ${cell.model}: ${mean.toExponential(3)} (published ${published})\n`,
  );
}
console.log(
  JSON.stringify({ benchmark: "emlp-data-efficiency", mode: full ? "full" : "quick", results }),
);
