import { InvalidArgumentError, type Registry } from "isotropy";
import { type Io, printJson } from "../io.js";
import { compareSeeds } from "../run/seeds.js";
import type { CompareOptions } from "./compare.js";
import { type BreakingRunResult, runBreaking, writePictures } from "./train-breaking.js";

/** Batch size of compare's breaking runs (small data: many steps per epoch). */
export const BREAKING_COMPARE_BATCH = 32;

/** The same flags as `compare` (one command, two kinds of task). */
export type BreakingCompareOptions = CompareOptions;

export interface BreakingCompareRow {
  strategy: string;
  /** Means over the seeds (null where every seed had none). */
  metric: number;
  metricStd: number;
  symmetric: number | null;
  generic: number | null;
  relaxedEquivarianceError: number;
  equivarianceError: number | null;
  symmetryBrokenFraction: number | null;
  trainSeconds: number;
  perSeed: number[];
}

function mean(values: readonly (number | null)[]): number | null {
  const v = values.filter((x): x is number => x !== null && !Number.isNaN(x));
  return v.length === 0 ? null : v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * `isotropy compare` on a symmetry-breaking task: each strategy over seeds, the task's metric on
 * held-out instances (symmetric and generic apart) against the equivariant bound, with the
 * (relaxed) equivariance errors. A table, or (--json) one JSON object; with --out, SVG pictures
 * of the first seed of each strategy.
 */
export async function compareBreaking(
  registry: Registry,
  io: Io,
  opts: BreakingCompareOptions,
): Promise<BreakingCompareRow[]> {
  const names = opts.strategies
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const seedList = compareSeeds(opts.seeds, opts.firstSeed);
  const seeds = seedList.length;
  if (names.length === 0) throw new InvalidArgumentError("--strategies lists no strategy.");
  const rows: BreakingCompareRow[] = [];
  const pictures: string[] = [];
  let first: BreakingRunResult | undefined;
  // The held-out set of seed s is the same for every strategy: its bounds, by seed.
  const boundsBySeed = new Map<number, BreakingRunResult["metric"]>();
  for (const name of names) {
    const runs: BreakingRunResult[] = [];
    for (const seed of seedList) {
      const run = await runBreaking(
        registry,
        { ...io, out: () => {} },
        {
          task: opts.task,
          strategy: name,
          nTrain: opts.nTrain,
          ...(opts.epochs === undefined ? {} : { epochs: opts.epochs }),
          batch: opts.batch ?? String(BREAKING_COMPARE_BATCH),
          lr: opts.lr ?? "3e-3",
          ...(opts.schedule === undefined ? {} : { schedule: opts.schedule }),
          seed: String(seed),
          backend: opts.backend,
          channels: opts.channels,
          layers: opts.layers,
        },
      );
      if (opts.out && seed === 0) pictures.push(...writePictures(opts.out, name, run));
      runs.push(run.result);
      first ??= run.result;
      boundsBySeed.set(seed, run.result.metric);
    }
    const values = runs.map((r) => r.metric.value);
    const m = mean(values) ?? Number.NaN;
    rows.push({
      strategy: name,
      metric: m,
      metricStd: Math.sqrt(values.reduce((a, v) => a + (v - m) ** 2, 0) / values.length),
      symmetric: mean(runs.map((r) => r.metric.symmetric)),
      generic: mean(runs.map((r) => r.metric.generic)),
      relaxedEquivarianceError: mean(runs.map((r) => r.relaxedEquivarianceError)) ?? Number.NaN,
      equivarianceError: mean(runs.map((r) => r.equivarianceError)),
      symmetryBrokenFraction: mean(runs.map((r) => r.symmetryBrokenFraction)),
      trainSeconds: runs.reduce((a, r) => a + r.trainSeconds, 0),
      perSeed: values,
    });
  }
  const f = first!;
  const bounds = [...boundsBySeed.values()];
  const meanOf = (pick: (m: BreakingRunResult["metric"]) => number | null) =>
    mean(bounds.map(pick)) ?? Number.NaN;
  const header = {
    task: f.task,
    taskParams: f.taskParams,
    group: f.group,
    nTrain: f.nTrain,
    nTest: f.nTest,
    epochs: f.epochs,
    schedule: opts.schedule ?? "constant",
    channels: f.channels,
    layers: f.layers,
    seeds,
    firstSeed: seedList[0],
    backend: f.backend,
    metric: f.metric.name,
    higherIsBetter: f.metric.higherIsBetter,
    // Means over the seeds' held-out sets, like the rows.
    equivariantBound: meanOf((m) => m.equivariantBound),
    symmetricBound: mean(bounds.map((m) => m.symmetricBound)),
    nSymmetric: meanOf((m) => m.nSymmetric),
    nGeneric: meanOf((m) => m.nGeneric),
  };
  if (opts.json) {
    printJson(io, { ...header, rows, ...(opts.out ? { pictures } : {}) });
    return rows;
  }
  const fmt = (v: number | null) => (v === null || Number.isNaN(v) ? "-" : v.toPrecision(4));
  io.out(
    `\n${f.task} (${f.group}), N=${f.nTrain}, ${f.epochs} epochs, ${seeds} seed(s), ${f.backend}\n` +
      `${f.metric.name} (${f.metric.higherIsBetter ? "higher" : "lower"} is better); equivariant bound ` +
      `${fmt(header.equivariantBound)} (symmetric inputs ${fmt(header.symmetricBound)}), ` +
      `${header.nSymmetric} symmetric / ${header.nGeneric} generic held-out instances (mean per seed)\n\n` +
      `${"strategy".padEnd(14)} ${"metric".padEnd(20)} ${"symmetric".padEnd(10)} ${"generic".padEnd(10)} ` +
      `${"relaxed eq".padEnd(11)} ${"eq (generic)".padEnd(12)} seconds\n`,
  );
  for (const r of rows) {
    io.out(
      `${r.strategy.padEnd(14)} ${`${fmt(r.metric)} ± ${r.metricStd.toExponential(1)}`.padEnd(20)} ` +
        `${fmt(r.symmetric).padEnd(10)} ${fmt(r.generic).padEnd(10)} ` +
        `${fmt(r.relaxedEquivarianceError).padEnd(11)} ${fmt(r.equivarianceError).padEnd(12)} ` +
        `${r.trainSeconds.toFixed(1)}\n`,
    );
  }
  for (const p of pictures) io.out(`wrote ${p}\n`);
  return rows;
}
