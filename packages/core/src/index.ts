export { z } from "zod";
export {
  type BackendEntry,
  type BackendFields,
  type BackendReport,
  type BackendStatus,
  currentEnvironment,
  type Environment,
  isBackendEntry,
  listBackends,
  selectBackend,
} from "./backends.js";
export {
  AmbiguousNameError,
  BackendUnavailableError,
  ConvergenceError,
  DuplicateEntryError,
  type ErrorCode,
  IncompatiblePluginError,
  InvalidArgumentError,
  InvalidPluginError,
  IsotropyError,
  LimitExceededError,
  ParseError,
  ShapeError,
  UnknownNameError,
} from "./errors.js";
export {
  ASSEMBLE_GRAD_KERNEL,
  ASSEMBLE_KERNEL,
  type AssemblyPlan,
  type AssemblyPlanPair,
  BILINEAR_GRAD_KERNEL,
  BILINEAR_KERNEL,
  type BiLinearPlan,
  type BiLinearPlanPair,
  FEATURE_MAJOR_BATCH_MULTIPLE,
  type FeatureMajorAttrs,
  GATE_GRAD_KERNEL,
  GATE_KERNEL,
  type GatePlan,
  LINEAR_GRAD_KERNEL,
  LINEAR_KERNEL,
  type LinearPlan,
  type LinearPlanPair,
} from "./fused-kernels.js";
export { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from "./optimizer-kernels.js";
export {
  defineEntry,
  definePlugin,
  ENTRY_KINDS,
  type Entry,
  type EntryKind,
  type EntryRecord,
  type ParamSchema,
  PLUGIN_API_VERSION,
  type Plugin,
} from "./plugin.js";
export {
  createRegistry,
  defaultRegistry,
  type RegisteredEntry,
  type Registry,
  type UseOptions,
} from "./registry.js";
export { Rng, type RngState, rng } from "./rng.js";
export { nearestNames } from "./suggest.js";
export { VERSION } from "./version.js";
