export { Adam, type AdamConfig, type AdamState } from "./adam.js";
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type Checkpoint,
  type CheckpointState,
  decodeCheckpoint,
  encodeCheckpoint,
  type RunConfig,
} from "./checkpoint.js";
export { assertResumable } from "./compatibility.js";
export { type Split, type TrainData, validateData, validateSplit } from "./data.js";
export { CheckpointError, type CheckpointProblem } from "./errors.js";
export { type Evaluation, evaluate } from "./evaluate.js";
export type {
  DoneEvent,
  EpochEndEvent,
  EpochStartEvent,
  StepEvent,
  TrainEvent,
  TrainEventBase,
} from "./events.js";
export { assertGradients, gradientsRegistered } from "./gradients.js";
export { bestOf, type EpochRecord } from "./history.js";
export { type LossFn, mseLoss } from "./loss.js";
export type { ApplyContext, NamedWeight, TrainableModule } from "./module.js";
export type { AbortSignalLike, TrainOptions } from "./options.js";
export {
  constantSchedule,
  cosineSchedule,
  type LrSchedule,
  resolveSchedule,
  type ScheduleSpec,
  stepSchedule,
} from "./schedule.js";
export { type MemorySinks, memorySinks, type TrainSinks } from "./sinks.js";
export { type TrainResult, train } from "./train.js";
export { VERSION } from "./version.js";
