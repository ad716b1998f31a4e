import { join } from "node:path";
import { writeFileAtomic } from "@isotropy/core/node";
import type { Group } from "@isotropy/groups";
import type { Module } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import {
  equivarianceError as equivarianceErrorOf,
  isSymmetryBroken,
  METRIC_TOLERANCE,
  meanRelaxedEquivarianceError,
  type Strategy,
  stabilizer,
} from "@isotropy/relax";
import { parseGroup, parseRep, type Rep } from "@isotropy/reps";
import type { BreakingData, SymmetryBreakingTask } from "@isotropy/tasks";
import { train as trainModel } from "@isotropy/train/node";
import * as tf from "@tensorflow/tfjs-core";
import { InvalidArgumentError, type Registry, rng, selectBackend } from "isotropy";
import { type Io, printJson } from "../io.js";
import { graphSvg, polygonSvg } from "../report/breaking-svg.js";
import { progressRenderer } from "../run/progress.js";
import { SetAutoencoder, setAutoencoderParts } from "../run/set-autoencoder.js";
import { parseTrainSettings, type TrainFlags } from "../run/train-flags.js";

/** The strategies that `isotropy train` runs on the symmetry-breaking tasks. */
export const BREAKING_STRATEGIES = ["none", "noise", "relaxed", "sympe", "sbs"] as const;
/** Held-out instances per run. */
export const BREAKING_TEST_N = 128;
/** Default epochs on the symmetry-breaking tasks (emlp's protocol is for the classic ones). */
export const BREAKING_DEFAULT_EPOCHS = 30;
/** Inputs on which the (relaxed) equivariance errors are measured. */
const EQUIVARIANCE_SAMPLES = 64;
/** Task parameters that take a list, written `families=cycle+hypercube`. */
const LIST_PARAMS = new Set(["families", "couplings"]);

export interface BreakingTrainOptions extends TrainFlags {
  strategy: string;
}

export interface BreakingMetricSummary {
  name: string;
  higherIsBetter: boolean;
  /** Mean over the held-out instances. */
  value: number;
  /** Mean over the symmetric ones (null when there are none). */
  symmetric: number | null;
  /** Mean over the generic ones (null when there are none). */
  generic: number | null;
  /** Mean equivariant bound over all held-out instances (see BREAKING.md). */
  equivariantBound: number;
  /** Mean equivariant bound over the symmetric ones (null when there are none). */
  symmetricBound: number | null;
  nSymmetric: number;
  nGeneric: number;
}

export interface BreakingRunResult {
  task: string;
  taskParams: Record<string, unknown>;
  strategy: string;
  group: string;
  repIn: string;
  repOut: string;
  nTrain: number;
  nTest: number;
  epochs: number;
  seed: number;
  channels: number;
  layers: number;
  metric: BreakingMetricSummary;
  /** Mean relaxed equivariance error over held-out inputs (set-decoding: of the decoder). */
  relaxedEquivarianceError: number;
  /** Mean equivariance error over held-out inputs with a trivial stabilizer (null: none). */
  equivarianceError: number | null;
  /** Held-out inputs with a trivial stabilizer (those of `equivarianceError`). */
  nTrivialStabilizer: number;
  /** Fraction of held-out inputs with a nontrivial stabilizer whose output it does not fix. */
  symmetryBrokenFraction: number | null;
  /** Where the equivariance errors are measured: the model, or the decoder of set-decoding. */
  equivarianceScope: "model" | "decoder";
  finalTrainLoss: number;
  trainSeconds: number;
  backend: string;
}

/** A run with what its pictures need. */
export interface BreakingRun {
  result: BreakingRunResult;
  task: SymmetryBreakingTask;
  test: BreakingData;
  /** n x outputDim held-out predictions. */
  predictions: Float32Array;
}

/** Whether a `tasks` entry is a symmetry-breaking task (loss + metric, no target). */
export function isBreakingTask(task: unknown): task is SymmetryBreakingTask {
  const t = task as Partial<SymmetryBreakingTask> & { target?: unknown };
  return (
    typeof t === "object" &&
    t !== null &&
    typeof t.loss === "function" &&
    typeof t.metric === "function" &&
    typeof t.generate === "function" &&
    t.target === undefined
  );
}

/**
 * `name` or `name:key=value:...` into a registry name and parameters: numbers parsed, `true` /
 * `false` as booleans, and the list parameters (`families`, `couplings`) split on `+`.
 */
export function parseTaskSpec(spec: string): { name: string; params: Record<string, unknown> } {
  const [name, ...pairs] = spec.split(":");
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      throw new InvalidArgumentError(
        `Task parameters are written task:key=value, got "${pair}" in "${spec}".`,
      );
    }
    const key = pair.slice(0, eq);
    const value = pair.slice(eq + 1);
    if (LIST_PARAMS.has(key)) params[key] = value.split("+").filter(Boolean);
    else if (value === "true" || value === "false") params[key] = value === "true";
    else params[key] = value !== "" && Number.isFinite(Number(value)) ? Number(value) : value;
  }
  return { name: name!, params };
}

function orNull(v: number): number | null {
  return Number.isNaN(v) ? null : v;
}

/** Rows [0, n) of a row-major array. */
function head(x: Float32Array, dim: number, n: number): { x: Float32Array; n: number } {
  return { x: x.subarray(0, n * dim), n };
}

/** The model's outputs for every row of x, in batches, without training context. */
function predict(
  model: Module,
  x: Float32Array,
  n: number,
  dim: number,
  batch = 256,
): Float32Array {
  const parts: Float32Array[] = [];
  for (let b = 0; b < n; b += batch) {
    const m = Math.min(batch, n - b);
    const out = tf.tidy(() =>
      model.apply(tf.tensor2d(x.subarray(b * dim, (b + m) * dim), [m, dim])),
    );
    parts.push(Float32Array.from(out.dataSync()));
    out.dispose();
  }
  const all = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    all.set(p, o);
    o += p.length;
  }
  return all;
}

interface EquivarianceReport {
  relaxed: number;
  plain: number | null;
  nTrivial: number;
  brokenFraction: number | null;
}

/**
 * The equivariance figures of `f` (repIn -> repOut) on the first inputs of x: the mean relaxed
 * equivariance error, the plain one over inputs with a trivial stabilizer, and how often the
 * output is not fixed by a nontrivial stabilizer.
 */
function equivarianceReport(
  f: Module,
  group: Group,
  repIn: Rep,
  repOut: Rep,
  x: Float32Array,
  n: number,
  seed: number,
): EquivarianceReport {
  const dim = repIn.size;
  const m = Math.min(n, EQUIVARIANCE_SAMPLES);
  const sample = head(x, dim, m);
  const relaxed = meanRelaxedEquivarianceError(
    f,
    group,
    repIn,
    repOut,
    sample,
    rng(seed).fork("relaxed-equivariance"),
  );
  const trivial: number[] = [];
  let nontrivial = 0;
  let broken = 0;
  const outputs = predict(f, sample.x, m, dim);
  for (let i = 0; i < m; i++) {
    const xi = sample.x.subarray(i * dim, (i + 1) * dim);
    const stab = stabilizer(group, repIn, xi, { tol: METRIC_TOLERANCE });
    if (stab.isTrivial) trivial.push(i);
    else {
      nontrivial += 1;
      const yi = outputs.subarray(i * repOut.size, (i + 1) * repOut.size);
      if (isSymmetryBroken(yi, stab, repOut)) broken += 1;
    }
  }
  let plain: number | null = null;
  if (trivial.length > 0) {
    const xs = new Float32Array(trivial.length * dim);
    trivial.forEach((i, r) => {
      xs.set(sample.x.subarray(i * dim, (i + 1) * dim), r * dim);
    });
    plain = equivarianceErrorOf(
      f,
      repIn,
      repOut,
      { x: xs, n: trivial.length },
      rng(seed).fork("equivariance"),
    );
  }
  return {
    relaxed,
    plain,
    nTrivial: trivial.length,
    brokenFraction: nontrivial === 0 ? null : broken / nontrivial,
  };
}

/**
 * Trains one strategy on one symmetry-breaking task with the task's own loss, and scores it
 * with the task's metric on held-out instances (symmetric and generic apart), with the
 * equivariance figures. The training loop carries row indices in its targets
 * (y[i * outputDim + j] = i) and the custom loss looks the instances up.
 */
export async function runBreaking(
  registry: Registry,
  io: Io,
  opts: BreakingTrainOptions,
): Promise<BreakingRun> {
  const { nTrain, epochs, batch, seed, channels, layers, lr, schedule } = parseTrainSettings(
    opts,
    () => BREAKING_DEFAULT_EPOCHS,
  );

  // Everything the user typed is checked before any training starts.
  const taskSpec = parseTaskSpec(opts.task);
  const task = registry.create<SymmetryBreakingTask>("tasks", taskSpec.name, taskSpec.params);
  if (!isBreakingTask(task)) {
    throw new InvalidArgumentError(`"${taskSpec.name}" is not a symmetry-breaking task.`);
  }
  const strategySpec = parseTaskSpec(opts.strategy);
  if (!(BREAKING_STRATEGIES as readonly string[]).includes(strategySpec.name)) {
    throw new InvalidArgumentError(
      `Strategy "${strategySpec.name}" does not fit the symmetry-breaking task ${task.name}: ` +
        `use one of ${BREAKING_STRATEGIES.join(", ")} (a per-sample breaking needs the task's exact group ${task.group}).`,
    );
  }
  const strategy = registry.create<Strategy>("strategies", strategySpec.name, strategySpec.params);
  const group = parseGroup(task.group, registry);
  if (opts.group !== undefined && parseGroup(opts.group, registry).name !== group.name) {
    throw new InvalidArgumentError(
      `${task.name} is defined on ${group.name} (its equivariant bound depends on it); ` +
        `--group ${opts.group} does not fit it.`,
    );
  }
  const repIn = parseRep(task.repIn, group, registry);
  const repOut = parseRep(task.repOut, group, registry);
  const backend = await selectBackend(registry, opts.backend);
  // Strategies may train while building (symmetry cloning): gradients must be there first.
  await registerGradients();
  const modelRng = rng(seed).fork("model");

  // set-decoding: invariant encoder, then the strategy's decoder on identical copies.
  let model: Module;
  let decoder: { module: Module; repIn: Rep; autoencoder: SetAutoencoder } | null = null;
  if (task.name === "set-decoding") {
    const points = task.inputDim / 2;
    const parts = setAutoencoderParts(registry, group, points, channels, layers, modelRng);
    const dec = await strategy.build({
      group,
      repIn: parts.decoderRepIn,
      repOut,
      channels,
      layers,
      rng: modelRng.fork("decoder"),
    });
    const autoencoder = new SetAutoencoder(parts.encoder, dec, points, parts.codeDim);
    model = autoencoder;
    decoder = { module: dec, repIn: parts.decoderRepIn, autoencoder };
  } else {
    model = await strategy.build({ group, repIn, repOut, channels, layers, rng: modelRng });
  }

  const data = task.generate({ n: nTrain, seed });
  const test = task.generate({ n: BREAKING_TEST_N, seed: 1_000_003 + seed });
  const outDim = task.outputDim;
  const index = (n: number) =>
    Float32Array.from({ length: n * outDim }, (_, i) => Math.floor(i / outDim));
  const nVal = Math.min(nTrain, 16);
  const label = `${opts.strategy}/${task.name}`;
  const result = await trainModel(
    model,
    {
      train: { x: data.x, y: index(nTrain), n: nTrain },
      // The loop's validation MSE is meaningless against row indices: a token split, no early stopping.
      val: { x: data.x.slice(0, nVal * task.inputDim), y: index(nVal), n: nVal },
      inputDim: task.inputDim,
      outputDim: outDim,
    },
    {
      epochs,
      batchSize: batch,
      lr,
      schedule,
      seed,
      earlyStopping: false,
      loss: (pred, y) => {
        const ys = y.dataSync();
        const rows = Int32Array.from({ length: pred.shape[0] }, (_, r) => ys[r * outDim]!);
        return task.loss(pred, data, rows);
      },
      onEvent: progressRenderer(io, label),
    },
  );

  const predictions = predict(model, test.x, test.n, task.inputDim);
  const m = task.metric(predictions, test);
  let nSymmetric = 0;
  let symBound = 0;
  for (let i = 0; i < test.n; i++) {
    if (test.symmetric[i]) {
      nSymmetric += 1;
      symBound += test.equivariantBound[i]!;
    }
  }
  let eq: EquivarianceReport;
  if (decoder) {
    const sample = head(test.x, task.inputDim, Math.min(test.n, EQUIVARIANCE_SAMPLES));
    const codes = tf.tidy(() =>
      decoder.autoencoder.decoderInput(tf.tensor2d(sample.x, [sample.n, task.inputDim])),
    );
    const codeX = Float32Array.from(codes.dataSync());
    codes.dispose();
    eq = equivarianceReport(decoder.module, group, decoder.repIn, repOut, codeX, sample.n, seed);
  } else {
    eq = equivarianceReport(model, group, repIn, repOut, test.x, test.n, seed);
  }
  const run: BreakingRunResult = {
    task: task.name,
    taskParams: taskSpec.params,
    strategy: opts.strategy,
    group: group.name,
    repIn: repIn.toString(),
    repOut: repOut.toString(),
    nTrain,
    nTest: test.n,
    epochs,
    seed,
    channels,
    layers,
    metric: {
      name: m.name,
      higherIsBetter: m.higherIsBetter,
      value: m.value,
      symmetric: orNull(m.symmetricValue),
      generic: orNull(m.genericValue),
      equivariantBound: m.equivariantBound,
      symmetricBound: nSymmetric === 0 ? null : symBound / nSymmetric,
      nSymmetric,
      nGeneric: test.n - nSymmetric,
    },
    relaxedEquivarianceError: eq.relaxed,
    equivarianceError: eq.plain,
    nTrivialStabilizer: eq.nTrivial,
    symmetryBrokenFraction: eq.brokenFraction,
    equivarianceScope: decoder ? "decoder" : "model",
    finalTrainLoss: result.history.at(-1)?.trainLoss ?? Number.NaN,
    trainSeconds: result.trainSeconds,
    backend: backend.name,
  };
  model.dispose?.();
  return { result: run, task, test, predictions };
}

/** `isotropy train` on a symmetry-breaking task: one run, a line or (--json) one JSON object. */
export async function trainBreakingCommand(
  registry: Registry,
  io: Io,
  opts: BreakingTrainOptions,
): Promise<BreakingRunResult> {
  const run = await runBreaking(registry, io, opts);
  const r = run.result;
  if (opts.out) {
    writeFileAtomic(join(opts.out, "result.json"), `${JSON.stringify(r, null, 2)}\n`);
    writePictures(opts.out, `${r.strategy}`, run);
  }
  if (opts.json) printJson(io, r);
  else {
    const fmt = (v: number | null) => (v === null ? "-" : v.toPrecision(4));
    io.out(
      `${r.strategy}/${r.task} on ${r.group}, N=${r.nTrain}, ${r.epochs} epochs on ${r.backend}: ` +
        `${r.metric.name} ${fmt(r.metric.value)} (symmetric ${fmt(r.metric.symmetric)}, generic ${fmt(r.metric.generic)}; ` +
        `equivariant bound ${fmt(r.metric.equivariantBound)}), relaxed equivariance error ${fmt(r.relaxedEquivarianceError)}, ` +
        `equivariance error on generic inputs ${fmt(r.equivarianceError)}, ${r.trainSeconds.toFixed(1)} s\n`,
    );
  }
  return r;
}

/**
 * SVG pictures of a run under `dir`: for polygon-deform one regular and one generic held-out
 * polygon before and after; for max-cut and ising one held-out graph coloured by the sides.
 * Returns the files written.
 */
export function writePictures(dir: string, prefix: string, run: BreakingRun): string[] {
  const { task, test, predictions } = run;
  const out = task.outputDim;
  const inDim = task.inputDim;
  const files: string[] = [];
  const pick = (symmetric: number) => {
    for (let i = 0; i < test.n; i++) if (test.symmetric[i] === symmetric) return i;
    return -1;
  };
  const safe = prefix.replace(/[^A-Za-z0-9._-]/g, "_");
  if (task.name === "polygon-deform") {
    const k = inDim / 2;
    const y = (test as BreakingData & { y?: Float32Array }).y;
    for (const [kind, s] of [
      ["regular", 1],
      ["generic", 0],
    ] as const) {
      const i = pick(s);
      if (i < 0) continue;
      const file = join(dir, `${safe}-polygon-${kind}.svg`);
      writeFileAtomic(
        file,
        polygonSvg(
          `${prefix}: ${kind} polygon`,
          test.x.subarray(i * inDim, (i + 1) * inDim),
          predictions.subarray(i * out, (i + 1) * out),
          y ? y.subarray(i * out, (i + 1) * out) : null,
          k,
        ),
      );
      files.push(file);
    }
  } else if (task.name === "max-cut" || task.name === "ising") {
    const i = Math.max(0, pick(1));
    const n = out;
    const file = join(dir, `${safe}-${task.name}-graph.svg`);
    writeFileAtomic(
      file,
      graphSvg(
        `${prefix}: ${task.name}, held-out graph ${i}`,
        test.x.subarray(i * inDim, (i + 1) * inDim),
        n,
        predictions.subarray(i * n, (i + 1) * n),
      ),
    );
    files.push(file);
  }
  return files;
}
