import { InvalidArgumentError, type Registry } from "isotropy";
import { type Io, printJson } from "../io.js";
import { MODEL_KINDS } from "../run/build-model.js";
import { compareSeeds } from "../run/seeds.js";
import { type BreakingCompareRow, compareBreaking } from "./compare-breaking.js";
import { type TrainRunResult, trainClassicCommand } from "./train.js";
import { isBreakingTask, parseTaskSpec } from "./train-breaking.js";

export interface CompareOptions {
  task: string;
  strategies: string;
  seeds: string;
  /** The first seed (default 0). */
  firstSeed?: string;
  nTrain: string;
  epochs?: string;
  channels: string;
  layers: string;
  backend: string;
  /** Adam learning rate (default 3e-3). */
  lr?: string;
  /** Batch size (default 500; symmetry-breaking tasks `BREAKING_COMPARE_BATCH`). */
  batch?: string;
  /** Learning-rate schedule: constant (default) or cosine. */
  schedule?: string;
  json?: boolean;
  /** Symmetry-breaking tasks: a folder for the SVG pictures. */
  out?: string;
}

export interface CompareRow {
  /** The strategy spec (or a baseline model: mlp, mlp-aug, emlp). */
  name: string;
  testMSE: number;
  testMSEStd: number;
  perSeed: number[];
  /** Mean over the seeds, like `testMSE`. */
  equivarianceError: number;
  equivarianceErrorPerSeed: number[];
  trainSeconds: number;
}

/**
 * `isotropy compare`: the same task trained with several strategies (and baseline models) over
 * seeds, as one table. Entries: strategy specs (`rpp`, `cloning:lambda=100`) or `mlp`,
 * `mlp-aug`, `emlp`.
 */
export async function compare(
  registry: Registry,
  io: Io,
  opts: CompareOptions,
): Promise<CompareRow[] | BreakingCompareRow[]> {
  const taskName = parseTaskSpec(opts.task).name;
  if (registry.has("tasks", taskName) && isBreakingTask(registry.create("tasks", taskName))) {
    return compareBreaking(registry, io, opts);
  }
  const names = opts.strategies
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const seedList = compareSeeds(opts.seeds, opts.firstSeed);
  const seeds = seedList.length;
  if (names.length === 0) throw new InvalidArgumentError("--strategies lists no strategy.");
  const rows: CompareRow[] = [];
  let first: TrainRunResult | undefined;
  for (const name of names) {
    const runs: TrainRunResult[] = [];
    for (const seed of seedList) {
      const baseline = (MODEL_KINDS as readonly string[]).includes(name);
      const run = await trainClassicCommand(
        registry,
        { ...io, out: () => {} },
        {
          task: opts.task,
          model: baseline ? name : "emlp",
          ...(baseline ? {} : { strategy: name }),
          nTrain: opts.nTrain,
          ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }),
          batch: opts.batch ?? "500",
          lr: opts.lr ?? "3e-3",
          ...(opts.schedule === undefined ? {} : { schedule: opts.schedule }),
          seed: String(seed),
          backend: opts.backend,
          channels: opts.channels,
          layers: opts.layers,
        },
      );
      runs.push(run);
      first ??= run;
    }
    const mses = runs.map((r) => r.testMSE);
    const errors = runs.map((r) => r.equivarianceError);
    const mean = average(mses);
    const std = Math.sqrt(average(mses.map((m) => (m - mean) ** 2)));
    rows.push({
      name,
      testMSE: mean,
      testMSEStd: std,
      perSeed: mses,
      equivarianceError: average(errors),
      equivarianceErrorPerSeed: errors,
      trainSeconds: runs.reduce((a, r) => a + r.trainSeconds, 0),
    });
  }
  if (opts.json) {
    printJson(io, {
      task: opts.task,
      group: first?.group,
      nTrain: first?.nTrain,
      epochs: first?.epochs,
      schedule: opts.schedule ?? "constant",
      seeds,
      firstSeed: seedList[0],
      backend: first?.backend,
      rows,
    });
    return rows;
  }
  const width = Math.max(22, ...rows.map((r) => r.name.length));
  io.out(
    `\n${opts.task} (${first?.group}), N=${first?.nTrain}, ${first?.epochs} epochs (${opts.schedule ?? "constant"}), ${seeds} seed(s), ${first?.backend}\n\n` +
      `${"strategy".padEnd(width)} ${"test MSE".padEnd(20)} ${"equivariance".padEnd(13)} seconds\n`,
  );
  for (const r of rows) {
    const mse = `${r.testMSE.toExponential(3)} ± ${r.testMSEStd.toExponential(1)}`;
    io.out(
      `${r.name.padEnd(width)} ${mse.padEnd(20)} ${r.equivarianceError.toExponential(2).padEnd(13)} ${r.trainSeconds.toFixed(1)}\n`,
    );
  }
  return rows;
}

function average(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
