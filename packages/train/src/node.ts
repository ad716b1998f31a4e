export {
  CHECKPOINT_FILE,
  type FileSinkOptions,
  fileSinks,
  readCheckpointFile,
  readMetricsFile,
} from "./node/file-sinks.js";
export { registerGradients } from "./node/register-gradients.js";
export { type FileTrainOptions, train } from "./node/train-files.js";
