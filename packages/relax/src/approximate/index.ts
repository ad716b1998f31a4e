export {
  ADAPTER_RATE,
  CLONING_MODES,
  ClonedMLP,
  type ClonedMLPOptions,
  type CloningMode,
  type ImportClonedOptions,
  importCloned,
  SymmetryMismatchError,
} from "./cloned-mlp.js";
export {
  type CloneCheckpoint,
  type CloneOptions,
  type CloneReport,
  checkTeacher,
  cloneSymmetry,
} from "./cloning.js";
export {
  type CloneSchedule,
  cloningRate,
  type EquivarianceSchedule,
  equivarianceWeightAt,
} from "./cloning-schedules.js";
export { type CloningParams, cloningStrategy, type TeacherKind } from "./cloning-strategy.js";
export { approximateStrategies } from "./entries.js";
export { equivarianceDefect, type MovedBy, movedBy } from "./equivariance-defect.js";
export { fitTeacher, type TeacherFitOptions } from "./fit-teacher.js";
export { checkPenaltyWeight } from "./penalties.js";
export {
  DEFAULT_LAMBDA_EQUIV,
  DEFAULT_LAMBDA_FREE,
  type PathwayNorms,
  RPP_SCALE,
  RPPEMLP,
  RPPEMLPBlock,
  type RPPEMLPOptions,
  RPPGatedNonlinearity,
  RPPLinear,
  type RPPLinearOptions,
} from "./rpp.js";
export { type RPPParams, rppStrategy } from "./rpp-strategy.js";
