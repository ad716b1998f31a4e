export { registerGradients } from "@isotropy/layers/node";
export {
  CHECKPOINT_FILE,
  type FileSinkOptions,
  fileSinks,
  readCheckpointFile,
  readMetricsFile,
} from "./node/file-sinks.js";
export { type FileTrainOptions, train } from "./node/train-files.js";
