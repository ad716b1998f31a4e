import { InvalidArgumentError, Rng, rng } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { Adam } from "./adam.js";
import {
  type Checkpoint,
  decodeCheckpoint,
  encodeCheckpoint,
  type RunConfig,
} from "./checkpoint.js";
import { now } from "./clock.js";
import { assertResumable } from "./compatibility.js";
import { bytesOf, crc32 } from "./crc32.js";
import { type TrainData, validateData } from "./data.js";
import { CheckpointError } from "./errors.js";
import { checkOutput, predictAndScore } from "./evaluate.js";
import type { TrainEvent } from "./events.js";
import { assertGradients } from "./gradients.js";
import type { EpochRecord } from "./history.js";
import { mseLoss } from "./loss.js";
import type { NamedWeight, TrainableModule } from "./module.js";
import { type AbortSignalLike, resolveOptions, type TrainOptions } from "./options.js";

/** What `train` reports. The model is left with the weights named by `weights`. */
export interface TrainResult {
  /** 1-based epoch of the lowest validation MSE (0 if no epoch had a finite one). */
  bestEpoch: number;
  bestValMSE: number;
  /** One record per epoch run, resumed epochs included. */
  history: EpochRecord[];
  /** Wall seconds of this call (a resumed run counts only its own time). */
  trainSeconds: number;
  /** Optimizer steps of the whole run, resumed steps included. */
  stepsRun: number;
  /** Epochs completed by the run (less than `epochs` when stopped early). */
  epochsRun: number;
  /** The epoch the run resumed after (0 for a fresh run). */
  resumedFromEpoch: number;
  /** True when patience ran out before `epochs`. */
  stoppedEarly: boolean;
  /** MSE on `data.test` with the final weights, when a test split was given. */
  testMSE?: number;
  /** "best" with early stopping on (the default), "last" without. */
  weights: "best" | "last";
}

interface Best {
  epoch: number;
  valMSE: number;
  /** Copies of the weights at that epoch (early stopping on), in `weights()` order. */
  tensors: tf.Tensor[] | null;
}

/**
 * Trains `module` on `data` with Adam: shuffled mini-batches (seeded), a learning-rate schedule,
 * validation after every epoch, the best epoch's weights restored at the end, progress events,
 * and, through `options.sinks`, metrics and resumable checkpoints. Inputs are checked before any
 * work (ShapeError / InvalidArgumentError). The loop holds no tensors between calls: every
 * tensor it makes is freed, also when it throws.
 *
 * Determinism: the order of batches comes from one generator seeded by `seed` (its state is part
 * of every checkpoint); the model's training-time generator for epoch e is that generator's
 * `fork("module-epoch-e")`. Resuming from the checkpoint after epoch k, with the same module,
 * data and options, reproduces the uninterrupted run bit for bit on a deterministic backend.
 */
export async function train(
  module: TrainableModule,
  data: TrainData,
  options: TrainOptions = {},
): Promise<TrainResult> {
  const weights = checkModule(module);
  validateData(data);
  assertGradients();
  const o = resolveOptions(options, data.train.n);
  const { inputDim, outputDim } = data;
  const n = data.train.n;
  const stepsPerEpoch = Math.ceil(n / o.batchSize);
  const totalSteps = o.epochs * stepsPerEpoch;
  const lossFn = options.loss ?? mseLoss;
  const sinks = options.sinks ?? {};
  const emit = async (e: TrainEvent) => {
    if (options.onEvent) await options.onEvent(e);
  };
  const lrAt = (step: number) => {
    const f = o.schedule(step, totalSteps);
    if (!(Number.isFinite(f) && f >= 0)) {
      throw new InvalidArgumentError(
        `The schedule returned ${f} at step ${step}; factors must be finite and >= 0.`,
      );
    }
    return o.lr * f;
  };
  checkModelOutput(module, data);
  const started = now();
  const variables = weights.map((w) => w.variable);
  const adam = new Adam(weights, options.optimizer);
  const config: RunConfig = {
    model: String(module.name),
    seed: o.seed,
    lr: o.lr,
    batchSize: o.batchSize,
    epochs: o.epochs,
    schedule: o.schedule.label ?? "custom",
    loss: options.loss === undefined || options.loss === mseLoss ? "mse" : "custom",
    beta1: adam.beta1,
    beta2: adam.beta2,
    epsilon: adam.epsilon,
    earlyStopping: o.earlyStopping,
    nTrain: n,
    nVal: data.val.n,
    inputDim,
    outputDim,
    dataCrc32: dataChecksum(data),
  };

  let main: Rng = rng(o.seed);
  let history: EpochRecord[] = [];
  let epochDone = 0;
  let step = 0;
  let best: Best | null = null;
  let resumedFromEpoch = 0;
  const owned: tf.Tensor[] = [];
  const freeBest = () => {
    for (const t of best?.tensors ?? []) t.dispose();
  };

  try {
    if (o.resume) {
      const bytes = await sinks.readCheckpoint!();
      if (bytes !== undefined) {
        const ckpt = decodeCheckpoint(bytes);
        assertResumable(ckpt, weights, config);
        const s = ckpt.state;
        if (s.step !== s.epoch * stepsPerEpoch || s.history.length !== s.epoch) {
          throw new CheckpointError("corrupt", `epoch ${s.epoch} and step ${s.step} disagree.`);
        }
        if (o.earlyStopping && s.best !== null && ckpt.best === null) {
          throw new CheckpointError("corrupt", "the best epoch's weights are missing.");
        }
        tf.tidy(() => {
          for (const w of weights) {
            w.variable.assign(tf.tensor(ckpt.weights.get(w.name)!, w.variable.shape, "float32"));
          }
        });
        adam.load({ t: s.adamT, m: ckpt.adamM, v: ckpt.adamV });
        main = Rng.fromState(s.rng);
        history = s.history;
        epochDone = s.epoch;
        step = s.step;
        resumedFromEpoch = s.epoch;
        if (s.best !== null) {
          const stored = ckpt.best;
          best = {
            ...s.best,
            tensors:
              o.earlyStopping && stored !== null
                ? weights.map((w) => tf.tensor(stored.get(w.name)!, w.variable.shape, "float32"))
                : null,
          };
        }
      }
    }
    await sinks.resetMetrics?.(epochDone);

    const xAll = tf.tensor2d(data.train.x, [n, inputDim], "float32");
    owned.push(xAll);
    const yAll = tf.tensor2d(data.train.y, [n, outputDim], "float32");
    owned.push(yAll);

    const patienceOut = () => o.patience !== null && epochDone - (best?.epoch ?? 0) >= o.patience;
    let stoppedEarly = false;
    let samplesThisCall = 0;
    let stepMsThisCall = 0;

    while (epochDone < o.epochs) {
      if (patienceOut()) {
        stoppedEarly = true;
        break;
      }
      throwIfAborted(options.signal);
      const epoch = epochDone + 1;
      const epochStart = now();
      const base = { epoch, epochs: o.epochs, totalSteps };
      await emit({
        type: "epoch-start",
        ...base,
        step,
        lr: lrAt(step),
        samplesPerSecond: 0,
        loss: null,
      });

      const order = main.permutation(n);
      const moduleRng = main.fork(`module-epoch-${epoch}`);
      let lossSum = 0;
      let seen = 0;
      let stepMs = 0;
      let lr = lrAt(step);
      for (let s = 0; s < stepsPerEpoch; s++) {
        throwIfAborted(options.signal);
        const t0 = now();
        lr = lrAt(step);
        const begin = s * o.batchSize;
        const end = Math.min(n, begin + o.batchSize);
        const b = end - begin;
        const lossTensor = tf.tidy(() => {
          const idx = tf.tensor1d(order.subarray(begin, end), "int32");
          const xb = tf.gather(xAll, idx) as tf.Tensor2D;
          const yb = tf.gather(yAll, idx) as tf.Tensor2D;
          const { value, grads } = tf.variableGrads(() => {
            const pred = module.apply(xb, { training: true, rng: moduleRng });
            checkOutput(module, pred, b, outputDim);
            const loss = lossFn(pred, yb);
            const penalty = module.penalty?.();
            return penalty === undefined ? loss : (tf.add(loss, penalty) as tf.Scalar);
          }, variables);
          adam.apply(grads, lr);
          return value;
        });
        let lossValue: number;
        try {
          lossValue = (await lossTensor.data())[0];
        } finally {
          lossTensor.dispose();
        }
        step += 1;
        stepMs += now() - t0;
        lossSum += lossValue * b;
        seen += b;
        await emit({
          type: "step",
          ...base,
          step,
          lr,
          loss: lossValue,
          stepInEpoch: s + 1,
          stepsPerEpoch,
          samplesPerSecond: perSecond(seen, stepMs),
        });
      }
      samplesThisCall += seen;
      stepMsThisCall += stepMs;

      const trainLoss = lossSum / seen;
      const { mse: valMSE } = await predictAndScore(
        module,
        data.val,
        inputDim,
        outputDim,
        o.evalBatchSize,
      );
      const seconds = (now() - epochStart) / 1000;
      const record: EpochRecord = { epoch, trainLoss, valMSE, lr, seconds };
      history.push(record);
      epochDone = epoch;
      if (!Number.isNaN(valMSE) && (best === null || valMSE < best.valMSE)) {
        freeBest();
        best = {
          epoch,
          valMSE,
          tensors: o.earlyStopping ? variables.map((v) => tf.clone(v)) : null,
        };
      }
      await sinks.appendMetrics?.({ ...record });
      const last = epochDone === o.epochs || patienceOut();
      if (sinks.writeCheckpoint && (epochDone % o.checkpointEvery === 0 || last)) {
        const bytes = await snapshot();
        await sinks.writeCheckpoint(bytes, epochDone);
      }
      await emit({
        type: "epoch-end",
        ...base,
        step,
        lr,
        loss: trainLoss,
        valMSE,
        bestEpoch: best?.epoch ?? 0,
        bestValMSE: best?.valMSE ?? Number.NaN,
        seconds,
        samplesPerSecond: perSecond(seen, stepMs),
      });
    }

    const finalBest = best as Best | null;
    if (o.earlyStopping && finalBest?.tensors) {
      const saved = finalBest.tensors;
      tf.tidy(() => {
        variables.forEach((v, i) => {
          v.assign(saved[i] as tf.Tensor);
        });
      });
    }
    let testMSE: number | undefined;
    if (data.test !== undefined) {
      testMSE = (await predictAndScore(module, data.test, inputDim, outputDim, o.evalBatchSize))
        .mse;
    }
    const trainSeconds = (now() - started) / 1000;
    const lastRecord = history[history.length - 1];
    const result: TrainResult = {
      bestEpoch: finalBest?.epoch ?? 0,
      bestValMSE: finalBest?.valMSE ?? Number.NaN,
      history: history.map((r) => ({ ...r })),
      trainSeconds,
      stepsRun: step,
      epochsRun: epochDone,
      resumedFromEpoch,
      stoppedEarly,
      weights: o.earlyStopping ? "best" : "last",
      ...(testMSE === undefined ? {} : { testMSE }),
    };
    await emit({
      type: "done",
      epoch: epochDone,
      epochs: o.epochs,
      step,
      totalSteps,
      lr: lastRecord?.lr ?? o.lr,
      loss: lastRecord?.trainLoss ?? Number.NaN,
      valMSE: result.bestValMSE,
      bestEpoch: result.bestEpoch,
      stoppedEarly,
      trainSeconds,
      samplesPerSecond: perSecond(samplesThisCall, stepMsThisCall),
      ...(testMSE === undefined ? {} : { testMSE }),
    });
    return result;
  } finally {
    freeBest();
    for (const t of owned) t.dispose();
    adam.dispose();
  }

  async function snapshot(): Promise<Uint8Array> {
    const current = new Map<string, Float32Array>();
    for (const w of weights) current.set(w.name, new Float32Array(await w.variable.data()));
    const state = await adam.state();
    let bestArrays: Map<string, Float32Array> | null = null;
    const b = best as Best | null;
    if (b?.tensors) {
      bestArrays = new Map();
      for (let i = 0; i < weights.length; i++) {
        bestArrays.set(weights[i].name, new Float32Array(await (b.tensors[i] as tf.Tensor).data()));
      }
    }
    const ckpt: Checkpoint = {
      state: {
        epoch: epochDone,
        step,
        rng: main.state(),
        adamT: state.t,
        best: b === null ? null : { epoch: b.epoch, valMSE: b.valMSE },
        history: history.map((r) => ({ ...r })),
        config,
        weights: weights.map((w) => ({ name: w.name, shape: [...w.variable.shape] })),
      },
      weights: current,
      adamM: state.m,
      adamV: state.v,
      best: bestArrays,
    };
    return encodeCheckpoint(ckpt);
  }
}

function checkModule(module: TrainableModule): readonly NamedWeight[] {
  if (module === null || typeof module !== "object" || typeof module.apply !== "function") {
    throw new InvalidArgumentError("train: the model must have apply(x) and weights().");
  }
  const weights = module.weights();
  if (!Array.isArray(weights) || weights.length === 0) {
    throw new InvalidArgumentError(`Model "${module.name}" has no weights to train.`);
  }
  const names = new Set<string>();
  for (const w of weights) {
    if (typeof w?.name !== "string" || w.name === "") {
      throw new InvalidArgumentError(`Model "${module.name}" has a weight without a name.`);
    }
    if (names.has(w.name)) {
      throw new InvalidArgumentError(`Model "${module.name}" has two weights named "${w.name}".`);
    }
    names.add(w.name);
    if (!(w.variable instanceof tf.Variable) || w.variable.dtype !== "float32") {
      throw new InvalidArgumentError(`Weight "${w.name}" must be a float32 tf.Variable.`);
    }
  }
  return weights;
}

/**
 * One sample through the model (inference mode, no generator) to refuse a wrong output shape
 * before any training; a throw inside a gradient tape would strand tfjs's saved tensors.
 */
function checkModelOutput(module: TrainableModule, data: TrainData): void {
  tf.tidy(() => {
    const x = tf.tensor2d(data.train.x.subarray(0, data.inputDim), [1, data.inputDim], "float32");
    checkOutput(module, module.apply(x, { training: false }), 1, data.outputDim);
  });
}

function dataChecksum(data: TrainData): number {
  let c = 0;
  for (const a of [data.train.x, data.train.y, data.val.x, data.val.y]) c = crc32(bytesOf(a), c);
  return c;
}

function perSecond(samples: number, ms: number): number {
  return ms > 0 ? (samples * 1000) / ms : 0;
}

function throwIfAborted(signal: AbortSignalLike | undefined): void {
  if (signal?.aborted) throw signal.reason ?? new Error("Training was aborted.");
}
