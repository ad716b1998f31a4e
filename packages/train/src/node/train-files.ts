import { InvalidArgumentError } from "@isotropy/core";
import { registerGradients } from "@isotropy/layers/node";
import type { TrainData } from "../data.js";
import type { TrainableModule } from "../module.js";
import type { TrainOptions } from "../options.js";
import { type TrainResult, train as trainCore } from "../train.js";
import { type FileSinkOptions, fileSinks } from "./file-sinks.js";

/** `TrainOptions` plus file destinations (instead of `sinks`). */
export interface FileTrainOptions extends TrainOptions, FileSinkOptions {}

/**
 * `train` with TensorFlow.js gradients registered (`registerGradients`), checkpoints in `checkpointDir` and metrics in `metricsFile`; with `resume`, it
 * continues from `checkpointDir/checkpoint.safetensors` when that file exists.
 */
export async function train(
  module: TrainableModule,
  data: TrainData,
  options: FileTrainOptions = {},
): Promise<TrainResult> {
  const { checkpointDir, metricsFile, ...rest } = options;
  if (rest.sinks !== undefined && (checkpointDir !== undefined || metricsFile !== undefined)) {
    throw new InvalidArgumentError("Give either sinks or checkpointDir/metricsFile, not both.");
  }
  await registerGradients();
  if (checkpointDir === undefined && metricsFile === undefined)
    return trainCore(module, data, rest);
  return trainCore(module, data, { ...rest, sinks: fileSinks({ checkpointDir, metricsFile }) });
}
