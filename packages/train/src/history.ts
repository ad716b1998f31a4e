/** One epoch's numbers: a line of `metrics.jsonl`, an entry of `TrainResult.history`. */
export interface EpochRecord {
  /** 1-based epoch. */
  epoch: number;
  /** Mean training loss over the epoch's samples (loss + penalty, as optimised). */
  trainLoss: number;
  /** Validation MSE after the epoch. */
  valMSE: number;
  /** Learning rate of the epoch's last step. */
  lr: number;
  /** Wall seconds of the epoch: its steps and its validation. */
  seconds: number;
}

/** The epoch of lowest validation MSE (the first of ties; NaN never wins), or null. */
export function bestOf(history: readonly EpochRecord[]): { epoch: number; valMSE: number } | null {
  let best: { epoch: number; valMSE: number } | null = null;
  for (const r of history) {
    if (Number.isNaN(r.valMSE)) continue;
    if (best === null || r.valMSE < best.valMSE) best = { epoch: r.epoch, valMSE: r.valMSE };
  }
  return best;
}
