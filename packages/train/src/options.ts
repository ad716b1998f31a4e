import { InvalidArgumentError } from "@isotropy/core";
import type { AdamConfig } from "./adam.js";
import type { TrainEvent } from "./events.js";
import type { LossFn } from "./loss.js";
import { type LrSchedule, resolveSchedule, type ScheduleSpec } from "./schedule.js";
import type { TrainSinks } from "./sinks.js";

/** Something that can ask a run to stop, e.g. an `AbortController`'s `signal`. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
}

/** Options of `train`; every field has a default. */
export interface TrainOptions {
  /** Passes over the training split (default 100). */
  epochs?: number;
  /** Samples per step (default 500, or N if N is smaller; values above N are cut to N). */
  batchSize?: number;
  /** Base learning rate (default 3e-3), multiplied by the schedule's factor. */
  lr?: number;
  /** "constant" (default), "cosine", "step", or a function (step, totalSteps) => factor. */
  schedule?: ScheduleSpec;
  /** Seeds the shuffling and the model's training-time randomness (default 0). */
  seed?: number | string;
  /**
   * true (default): the model ends with the weights of its best validation epoch. `{ patience }`
   * also stops after `patience` epochs without improvement. false: the model keeps its last
   * weights (the result still reports the best epoch).
   */
  earlyStopping?: boolean | { patience?: number };
  /** The training loss (default MSE); the model's `penalty()`, when present, is added to it. */
  loss?: LossFn;
  /** Adam's betas and epsilon (defaults 0.9, 0.999, 1e-8). */
  optimizer?: AdamConfig;
  /** Progress events, awaited in order. */
  onEvent?: (event: TrainEvent) => void | Promise<void>;
  /** Where checkpoints and metrics go (see `fileSinks` in `@isotropy/train/node`). */
  sinks?: TrainSinks;
  /** Write a checkpoint every this many epochs (default 1), and after the last epoch. */
  checkpointEvery?: number;
  /** Continue from `sinks.readCheckpoint()` if it returns one (else start fresh). */
  resume?: boolean;
  /** Checked before every step and after every epoch; an aborted run throws `signal.reason`. */
  signal?: AbortSignalLike;
  /** Batch size of validation and test predictions (default: the training batch size). */
  evalBatchSize?: number;
}

/** Options with defaults filled and ranges checked. */
export interface ResolvedOptions {
  epochs: number;
  batchSize: number;
  lr: number;
  schedule: LrSchedule;
  seed: number | string;
  earlyStopping: boolean;
  patience: number | null;
  checkpointEvery: number;
  evalBatchSize: number;
  resume: boolean;
}

const MAX_EPOCHS = 10_000_000;

/** Fills defaults and checks ranges (InvalidArgumentError naming the option and the value). */
export function resolveOptions(options: TrainOptions, nTrain: number): ResolvedOptions {
  const epochs = options.epochs ?? 100;
  positiveInteger("epochs", epochs, MAX_EPOCHS);
  const requested = options.batchSize ?? 500;
  positiveInteger("batchSize", requested);
  const batchSize = Math.min(requested, nTrain);
  const lr = options.lr ?? 3e-3;
  if (typeof lr !== "number" || !Number.isFinite(lr) || lr <= 0) {
    throw new InvalidArgumentError(`lr must be a positive finite number, got ${lr}.`);
  }
  const seed = options.seed ?? 0;
  if (typeof seed === "number" ? !Number.isFinite(seed) : typeof seed !== "string") {
    throw new InvalidArgumentError(
      `seed must be a finite number or a string, got ${String(seed)}.`,
    );
  }
  const es = options.earlyStopping ?? true;
  let patience: number | null = null;
  if (typeof es === "object" && es !== null && es.patience !== undefined) {
    positiveInteger("earlyStopping.patience", es.patience);
    patience = es.patience;
  } else if (typeof es !== "boolean" && (typeof es !== "object" || es === null)) {
    throw new InvalidArgumentError(
      `earlyStopping must be true, false or { patience }, got ${String(es)}.`,
    );
  }
  const checkpointEvery = options.checkpointEvery ?? 1;
  positiveInteger("checkpointEvery", checkpointEvery);
  const evalBatchSize = options.evalBatchSize ?? batchSize;
  positiveInteger("evalBatchSize", evalBatchSize);
  if (options.resume && options.sinks?.readCheckpoint === undefined) {
    throw new InvalidArgumentError(
      "resume needs a checkpoint to read: pass sinks with readCheckpoint (in Node, checkpointDir).",
    );
  }
  return {
    epochs,
    batchSize,
    lr,
    schedule: resolveSchedule(options.schedule),
    seed,
    earlyStopping: es !== false,
    patience,
    checkpointEvery,
    evalBatchSize,
    resume: options.resume ?? false,
  };
}

function positiveInteger(name: string, value: unknown, max = Number.MAX_SAFE_INTEGER): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(
      `${name} must be an integer from 1 to ${max}, got ${String(value)}.`,
    );
  }
}
