import { InvalidArgumentError, nearestNames, UnknownNameError } from "isotropy";

/** Learning-rate schedules `--schedule` takes (the train package's by name). */
export const SCHEDULES = ["constant", "cosine"] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

/** The flags of `isotropy train` that every task reads, as typed. */
export interface TrainFlags {
  task: string;
  group?: string;
  nTrain: string;
  epochs?: string;
  batch: string;
  lr: string;
  /** constant (default) or cosine (to 0 at the last step). */
  schedule?: string;
  seed: string;
  backend: string;
  channels: string;
  layers: string;
  out?: string;
  json?: boolean;
}

/** The numeric settings of a training run, checked. */
export interface TrainSettings {
  nTrain: number;
  epochs: number;
  batch: number;
  seed: number;
  channels: number;
  layers: number;
  lr: number;
  schedule: ScheduleName;
}

/** The numeric flags, checked in turn; `--epochs` defaults to `defaultEpochs(nTrain)`. */
export function parseTrainSettings(
  opts: TrainFlags,
  defaultEpochs: (nTrain: number) => number,
): TrainSettings {
  const nTrain = integer("--n-train", opts.nTrain, 1);
  const epochs =
    opts.epochs === undefined ? defaultEpochs(nTrain) : integer("--epochs", opts.epochs, 1);
  const batch = integer("--batch", opts.batch, 1);
  const seed = integer("--seed", opts.seed, 0);
  const channels = integer("--channels", opts.channels, 1);
  const layers = integer("--layers", opts.layers, 0);
  const lr = Number(opts.lr);
  if (!Number.isFinite(lr) || lr <= 0)
    throw new InvalidArgumentError(`--lr must be a positive number, got "${opts.lr}".`);
  const schedule = (opts.schedule ?? "constant") as ScheduleName;
  if (!SCHEDULES.includes(schedule)) {
    throw new UnknownNameError("schedules", schedule, nearestNames(schedule, SCHEDULES));
  }
  return { nTrain, epochs, batch, seed, channels, layers, lr, schedule };
}

function integer(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) {
    throw new InvalidArgumentError(`${flag} must be an integer >= ${min}, got "${text}".`);
  }
  return v;
}
