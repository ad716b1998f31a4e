import { join } from "node:path";
import { writeFileAtomic } from "@isotropy/core/node";
import { modelEquivarianceError } from "@isotropy/layers";
import { registerGradients, saveWeights } from "@isotropy/layers/node";
import type { Strategy } from "@isotropy/relax";
import { parseGroup, parseRep } from "@isotropy/reps";
import { checkTaskGroup, DEFAULT_N_TEST, type PoolSampler, type Task } from "@isotropy/tasks";
import { CHECKPOINT_FILE, train as trainModel } from "@isotropy/train/node";
import {
  InvalidArgumentError,
  nearestNames,
  type Registry,
  rng,
  selectBackend,
  UnknownNameError,
} from "isotropy";
import { type Io, printJson } from "../io.js";
import { learningCurveSvg } from "../report/learning-curve.js";
import { buildModel, MODEL_KINDS } from "../run/build-model.js";
import { type FreshTestMSE, freshTestMSE } from "../run/fresh-test-sets.js";
import { withInnerTrainSplit } from "../run/inner-train-split.js";
import { progressRenderer } from "../run/progress.js";
import { checkResume } from "../run/resume.js";
import { parseTrainSettings, type TrainFlags } from "../run/train-flags.js";
import {
  BREAKING_STRATEGIES,
  type BreakingRunResult,
  isBreakingTask,
  parseTaskSpec,
  trainBreakingCommand,
} from "./train-breaking.js";

export interface TrainCommandOptions extends TrainFlags {
  model: string;
  /** A `strategies` entry, optionally with parameters: `rpp`, `cloning:lambda=100`. */
  strategy?: string;
  /**
   * Classic tasks: the seed of the data pool, its split and the fresh test sets (default: the
   * seed). emlp's trials share one pool and differ in initialisation and shuffling.
   */
  dataSeed?: string;
  /**
   * Classic tasks: "isotropy" (default) or "emlp", numpy's generator and emlp's split, which
   * replays emlp's published data (its data seed, 2021, is then the default data seed).
   */
  pool?: string;
  /** Classic tasks: also score the model on this many fresh test sets (default 0). */
  freshTestSets?: string;
  /** Classic tasks: continue the run in `out` from its checkpoint. */
  resume?: boolean;
  /** Classic tasks with `out`: checkpoint every this many epochs (default 10) and after the last. */
  checkpointEvery?: string;
}

export interface TrainRunResult {
  task: string;
  model: string;
  group: string;
  nTrain: number;
  epochs: number;
  testMSE: number;
  equivarianceError: number;
  trainSeconds: number;
  backend: string;
  strategy: string | null;
  bestEpoch: number;
  valMSE: number;
  seed: number;
  /** The data pool's seed (`--data-seed`, else the seed; 2021 with `--pool emlp`). */
  dataSeed: number;
  /** The generator of the pool and its split (`--pool`). */
  pool: PoolSampler;
  channels: number;
  layers: number;
  /** With `--fresh-test-sets K`: the test MSE over K fresh test sets of the split's test size. */
  freshTestMSE?: FreshTestMSE;
  /** With `--resume`: the epoch the run continued from (0: it started fresh). */
  resumedFromEpoch?: number;
}

/** The seed of emlp's data-efficiency script (`FixedNumpySeed(2021)`). */
export const EMLP_DATA_SEED = 2021;

/** `--pool`: "isotropy" (default) or "emlp". */
function parsePool(given: string | undefined): PoolSampler {
  const pool = given ?? "isotropy";
  if (pool !== "isotropy" && pool !== "emlp") {
    throw new InvalidArgumentError(`--pool must be isotropy or emlp, got "${given}".`);
  }
  return pool;
}

/** emlp's data-efficiency protocol: min(floor(30 * 30000 / N), 1000) epochs. */
export function defaultEpochs(nTrain: number): number {
  return Math.min(Math.floor((30 * 30000) / nTrain), 1000);
}

/**
 * `isotropy train`: one model on one task. Classic tasks follow emlp's protocol by default
 * (`trainClassicCommand`); symmetry-breaking tasks (`polygon-deform`, `max-cut`, `ising`,
 * `set-decoding`, parameters as `task:key=value`) train a `--strategy` with the task's own loss
 * and metric (`trainBreakingCommand`).
 */
export async function trainCommand(
  registry: Registry,
  io: Io,
  opts: TrainCommandOptions,
): Promise<TrainRunResult | BreakingRunResult> {
  const name = parseTaskSpec(opts.task).name;
  if (registry.has("tasks", name) && isBreakingTask(registry.create("tasks", name))) {
    if (opts.strategy === undefined) {
      throw new InvalidArgumentError(
        `${name} is a symmetry-breaking task: give --strategy ${BREAKING_STRATEGIES.join("|")}.`,
      );
    }
    if (opts.model !== "emlp") {
      throw new InvalidArgumentError(
        `${name} is a symmetry-breaking task: models come from --strategy, not --model ${opts.model}.`,
      );
    }
    for (const [flag, given] of [
      ["--data-seed", opts.dataSeed !== undefined],
      ["--pool", opts.pool !== undefined],
      ["--fresh-test-sets", opts.freshTestSets !== undefined],
      ["--resume", opts.resume === true],
      ["--checkpoint-every", opts.checkpointEvery !== undefined],
    ] as const) {
      if (given) {
        throw new InvalidArgumentError(
          `${flag} is for classic tasks; ${name} is a symmetry-breaking task.`,
        );
      }
    }
    return trainBreakingCommand(registry, io, { ...opts, strategy: opts.strategy });
  }
  return trainClassicCommand(registry, io, opts);
}

/** `isotropy train` on a classic task: one model, emlp's protocol by default. */
export async function trainClassicCommand(
  registry: Registry,
  io: Io,
  opts: TrainCommandOptions,
): Promise<TrainRunResult> {
  const { nTrain, epochs, batch, seed, channels, layers, lr, schedule } = parseTrainSettings(
    opts,
    defaultEpochs,
  );

  // Everything is checked before any training starts.
  const pool = parsePool(opts.pool);
  const dataSeed =
    opts.dataSeed !== undefined ? Number(opts.dataSeed) : pool === "emlp" ? EMLP_DATA_SEED : seed;
  const maxSeed = pool === "emlp" ? 2 ** 32 - 1 : Number.MAX_SAFE_INTEGER;
  if (!Number.isSafeInteger(dataSeed) || dataSeed < 0 || dataSeed > maxSeed) {
    throw new InvalidArgumentError(
      `--data-seed must be an integer from 0 to ${maxSeed}${pool === "emlp" ? " (numpy's seeds, with --pool emlp)" : ""}, got "${opts.dataSeed}".`,
    );
  }
  const freshSets = Number(opts.freshTestSets ?? 0);
  if (!Number.isInteger(freshSets) || freshSets < 0) {
    throw new InvalidArgumentError(
      `--fresh-test-sets must be an integer >= 0, got "${opts.freshTestSets}".`,
    );
  }
  const checkpointEvery = Number(opts.checkpointEvery ?? 10);
  if (!Number.isInteger(checkpointEvery) || checkpointEvery < 1) {
    throw new InvalidArgumentError(
      `--checkpoint-every must be an integer >= 1, got "${opts.checkpointEvery}".`,
    );
  }
  if (opts.resume && opts.out === undefined) {
    throw new InvalidArgumentError("--resume continues the run in --out DIR: give --out.");
  }
  const strategySpec = opts.strategy === undefined ? null : parseStrategySpec(opts.strategy);
  const strategy =
    strategySpec === null
      ? null
      : registry.create<Strategy>("strategies", strategySpec.name, strategySpec.params);
  if (!(MODEL_KINDS as readonly string[]).includes(opts.model)) {
    throw new UnknownNameError("models", opts.model, nearestNames(opts.model, MODEL_KINDS));
  }
  if (strategySpec && opts.model !== "emlp") {
    throw new InvalidArgumentError(
      `--strategy ${opts.strategy} builds the model; --model ${opts.model} cannot be given with it.`,
    );
  }
  // What the run trained: the strategy's name, else the model kind.
  const modelName = strategySpec ? strategySpec.name : opts.model;
  const task = registry.create<Task>("tasks", opts.task);
  if (
    typeof (task as Partial<Task>).target !== "function" ||
    !Array.isArray(task.compatibleGroups)
  ) {
    throw new InvalidArgumentError(
      `"${opts.task}" is not a classic task; symmetry-breaking tasks run through trainCommand with --strategy.`,
    );
  }
  const group = parseGroup(opts.group ?? task.groupName, registry);
  checkTaskGroup(task, group);
  const repIn = parseRep(task.repIn, group, registry);
  const repOut = parseRep(task.repOut, group, registry);
  const backend = await selectBackend(registry, opts.backend);
  const label = `${strategySpec ? opts.strategy : opts.model}/${task.name}`;
  const outDir = opts.out;
  const config = {
    task: task.name,
    model: modelName,
    group: group.name,
    repIn: repIn.toString(),
    repOut: repOut.toString(),
    nTrain,
    epochs,
    batch,
    lr,
    schedule,
    seed,
    dataSeed,
    pool,
    channels,
    layers,
    backend: backend.name,
    strategy: opts.strategy ?? null,
  };
  // Before anything trains: a strategy may train while it builds (symmetry cloning).
  if (outDir && opts.resume) {
    const from = join(outDir, CHECKPOINT_FILE);
    io.err(
      checkResume(outDir, config)
        ? `${label} resuming from ${from}\n`
        : `${label} no checkpoint at ${from}: starting from epoch 0\n`,
    );
  }
  // Strategies may train while building (symmetry cloning): gradients must be there first.
  await registerGradients();
  const data = task.generate({ nTrain, seed: dataSeed, pool });
  const modelRng = rng(seed).fork("model");
  const inner = strategy
    ? await withInnerTrainSplit(data, (train) =>
        strategy.build({ group, repIn, repOut, channels, layers, rng: modelRng, train }),
      )
    : null;
  const model = buildModel({
    kind: opts.model,
    ...(inner ? { inner } : {}),
    group,
    repIn,
    repOut,
    channels,
    layers,
    standardization: data.standardization,
    rng: modelRng,
  });
  if (outDir) writeFileAtomic(join(outDir, "config.json"), `${JSON.stringify(config, null, 2)}\n`);

  const result = await trainModel(
    model,
    {
      train: data.train,
      val: data.val,
      test: data.test,
      inputDim: task.inputDim,
      outputDim: task.outputDim,
    },
    {
      epochs,
      batchSize: batch,
      lr,
      schedule,
      seed,
      onEvent: progressRenderer(io, label),
      ...(outDir
        ? {
            metricsFile: join(outDir, "metrics.jsonl"),
            checkpointDir: outDir,
            checkpointEvery,
            resume: opts.resume === true,
          }
        : {}),
    },
  );
  const equivarianceError = modelEquivarianceError(
    model,
    repIn,
    repOut,
    data.test,
    rng(seed).fork("equivariance"),
    {
      samples: Math.min(500, data.test.n),
    },
  );
  const run: TrainRunResult = {
    task: task.name,
    model: modelName,
    group: group.name,
    nTrain,
    epochs,
    testMSE: result.testMSE ?? Number.NaN,
    equivarianceError,
    trainSeconds: result.trainSeconds,
    backend: backend.name,
    strategy: opts.strategy ?? null,
    bestEpoch: result.bestEpoch,
    valMSE: result.bestValMSE,
    seed,
    dataSeed,
    pool,
    channels,
    layers,
    ...(opts.resume ? { resumedFromEpoch: result.resumedFromEpoch } : {}),
    ...(freshSets > 0
      ? {
          freshTestMSE: await freshTestMSE(
            model,
            task,
            dataSeed,
            freshSets,
            data.test.n > 0 ? data.test.n : DEFAULT_N_TEST,
          ),
        }
      : {}),
  };
  if (outDir) {
    saveWeights(model, join(outDir, "weights.safetensors"), {
      model: modelName,
      task: task.name,
      group: group.name,
      repIn: repIn.toString(),
      repOut: repOut.toString(),
    });
    const records = result.history;
    writeFileAtomic(
      join(outDir, "learning-curve.svg"),
      learningCurveSvg(`${label} (${group.name}, N=${nTrain})`, [
        {
          name: "train loss",
          color: "#1f77b4",
          points: records.map((r) => [r.epoch, r.trainLoss]),
        },
        {
          name: "validation MSE",
          color: "#d62728",
          points: records.map((r) => [r.epoch, r.valMSE]),
        },
      ]),
    );
    writeFileAtomic(join(outDir, "result.json"), `${JSON.stringify(run, null, 2)}\n`);
  }
  if (opts.json) printJson(io, run);
  else {
    io.out(
      `${label} on ${group.name}, N=${nTrain}, ${epochs} epochs on ${backend.name}: test MSE ${run.testMSE.toExponential(3)}, ` +
        `equivariance error ${equivarianceError.toExponential(2)}, ${run.trainSeconds.toFixed(1)} s\n`,
    );
    const f = run.freshTestMSE;
    if (f) {
      io.out(
        `  over ${f.sets} fresh test sets of ${f.size}: mean ${f.mean.toExponential(3)}, median ` +
          `${f.median.toExponential(3)}, range ${f.min.toExponential(2)} to ${f.max.toExponential(2)}\n`,
      );
    }
  }
  return run;
}

/** `name` or `name:key=value:key=value` (numbers parsed) into a registry name and parameters. */
export function parseStrategySpec(spec: string): { name: string; params: Record<string, unknown> } {
  const [name, ...pairs] = spec.split(":");
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      throw new InvalidArgumentError(
        `Strategy parameters are written name:key=value, got "${pair}" in "${spec}".`,
      );
    }
    const value = pair.slice(eq + 1);
    params[pair.slice(0, eq)] =
      value !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return { name: name!, params };
}
