import { InvalidArgumentError } from "isotropy";

/** The flags of `isotropy train` that every task reads, as typed. */
export interface TrainFlags {
  task: string;
  group?: string;
  nTrain: string;
  epochs?: string;
  batch: string;
  lr: string;
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
  return { nTrain, epochs, batch, seed, channels, layers, lr };
}

function integer(flag: string, text: string, min: number): number {
  const v = Number(text);
  if (!Number.isInteger(v) || v < min) {
    throw new InvalidArgumentError(`${flag} must be an integer >= ${min}, got "${text}".`);
  }
  return v;
}
