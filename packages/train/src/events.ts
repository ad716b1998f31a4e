/** Fields every progress event carries. */
export interface TrainEventBase {
  /** 1-based epoch the event belongs to (the last epoch run, for `done`). */
  epoch: number;
  /** Planned epochs. */
  epochs: number;
  /** Optimizer steps completed so far in the run (resumed steps included). */
  step: number;
  /** Planned steps: epochs x steps per epoch. */
  totalSteps: number;
  /** Learning rate of the step just taken (for `epoch-start`: of the next step). */
  lr: number;
  /** Training throughput: samples per second of optimizer steps (validation not counted). */
  samplesPerSecond: number;
}

/** Before the epoch's first step. `loss` is not known yet. */
export interface EpochStartEvent extends TrainEventBase {
  type: "epoch-start";
  loss: null;
}

/** After each optimizer step. */
export interface StepEvent extends TrainEventBase {
  type: "step";
  /** The batch's loss (loss + penalty). */
  loss: number;
  /** 1-based step within the epoch. */
  stepInEpoch: number;
  stepsPerEpoch: number;
}

/** After the epoch's validation. */
export interface EpochEndEvent extends TrainEventBase {
  type: "epoch-end";
  /** Mean training loss of the epoch. */
  loss: number;
  valMSE: number;
  bestEpoch: number;
  bestValMSE: number;
  /** Wall seconds of the epoch, validation included. */
  seconds: number;
}

/** Once, after the best weights are restored (and the test split scored, if given). */
export interface DoneEvent extends TrainEventBase {
  type: "done";
  /** Mean training loss of the last epoch run. */
  loss: number;
  /** The best validation MSE (whose weights the model now holds, with early stopping on). */
  valMSE: number;
  bestEpoch: number;
  testMSE?: number;
  stoppedEarly: boolean;
  trainSeconds: number;
}

/** What `onEvent` receives, in order: per epoch `epoch-start`, `step`..., `epoch-end`; then `done`. */
export type TrainEvent = EpochStartEvent | StepEvent | EpochEndEvent | DoneEvent;
