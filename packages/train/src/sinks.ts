import type { EpochRecord } from "./history.js";

type MaybePromise<T> = T | Promise<T>;

/**
 * Where a run's durable outputs go. The loop itself does no I/O, so it runs in browsers; Node's
 * `fileSinks` (from `@isotropy/train/node`) writes files, `memorySinks` keeps everything in memory
 * (tests, or a page that stores checkpoints in IndexedDB).
 */
export interface TrainSinks {
  /** The latest checkpoint, or undefined when there is none; read when `resume` is set. */
  readCheckpoint?(): MaybePromise<Uint8Array | undefined>;
  /** Stores a checkpoint (replacing the previous one), taken after `epoch`. */
  writeCheckpoint?(bytes: Uint8Array, epoch: number): MaybePromise<void>;
  /**
   * Called once before training: drop metrics of epochs after `keepThroughEpoch` (0 for a fresh
   * run, k when resuming after epoch k), so that a resumed run's metrics hold each epoch once.
   */
  resetMetrics?(keepThroughEpoch: number): MaybePromise<void>;
  /** Records one finished epoch. */
  appendMetrics?(record: EpochRecord): MaybePromise<void>;
}

/** Sinks that keep the latest checkpoint, every checkpoint by epoch, and the metrics in memory. */
export interface MemorySinks extends TrainSinks {
  readonly checkpoints: Map<number, Uint8Array>;
  readonly metrics: EpochRecord[];
  latest: Uint8Array | undefined;
}

/** See `MemorySinks`. Pass `latest` to resume from bytes you hold. */
export function memorySinks(latest?: Uint8Array): MemorySinks {
  const sinks: MemorySinks = {
    checkpoints: new Map(),
    metrics: [],
    latest,
    readCheckpoint: () => sinks.latest,
    writeCheckpoint: (bytes, epoch) => {
      sinks.latest = bytes;
      sinks.checkpoints.set(epoch, bytes);
    },
    resetMetrics: (keep) => {
      const kept = sinks.metrics.filter((r) => r.epoch <= keep);
      sinks.metrics.length = 0;
      sinks.metrics.push(...kept);
    },
    appendMetrics: (record) => {
      sinks.metrics.push({ ...record });
    },
  };
  return sinks;
}
