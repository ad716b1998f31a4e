export * from "./approximate/index.js";
export * from "./breaking/index.js";
export { type Batch, batchRows, checkBatch, checkFinite, checkShape } from "./checks.js";
export { CLASSIC_TASKS } from "./classic.js";
export { checkTaskGroup } from "./compatibility.js";
export { defineTask, type TaskSpec } from "./define-task.js";
export { emlpSplitIds, type SplitIds } from "./emlp-split.js";
export { inertia } from "./inertia.js";
export { mse, msePerOutput, rmse, sse } from "./metrics.js";
export { NumpyRandomState } from "./numpy-random-state.js";
export { o5Synthetic } from "./o5-synthetic.js";
export { particleInteraction } from "./particle-interaction.js";
export { plugin } from "./plugin.js";
export {
  DEFAULT_N_TEST,
  DEFAULT_N_VAL,
  DEFAULT_POOL_SIZE,
  DEFAULT_SEED,
  resolveSeed,
  resolveSplitSizes,
  type SplitSizes,
  splitPool,
  takeRows,
} from "./pool.js";
export {
  blockScales,
  identityStandardization,
  meanStd,
  metricScale,
  rmsScale,
  standardizeInputs,
  standardizeOutputs,
  unstandardizeOutputs,
} from "./standardization.js";
export type {
  GenerateOptions,
  NormalSource,
  PoolSampler,
  Split,
  Standardization,
  Task,
  TaskData,
} from "./task.js";
export { VERSION } from "./version.js";
