export {
  SymmetryBreakingModel,
  type SymmetryBreakingOptions,
} from "./breaking-model.js";
export {
  defaultBreakingRep,
  genericBreakingObject,
  resolveBreakingRep,
} from "./breaking-object.js";
export { CanonicalCache } from "./canonical-cache.js";
export { CanonicalizedModel, type CanonicalizedOptions } from "./canonicalized-model.js";
export { breakingStrategies } from "./entries.js";
export { type FrameChoice, FramedModel, type FramedModelOptions } from "./framed-model.js";
export { NoiseStrategy, type NoiseStrategyOptions } from "./noise.js";
export { NoiseInjection, type NoiseInjectionOptions } from "./noise-injection.js";
export { NoBreaking } from "./none.js";
export {
  BREAKING_TOLERANCE,
  type BreakingModel,
  type BreakingStrategyOptions,
  buildBreakingModel,
  type RelaxedConstruction,
  RelaxedStrategy,
} from "./relaxed.js";
export { SBSStrategy } from "./sbs.js";
export { SymPEStrategy } from "./sympe.js";
