export * from "./approximate/index.js";
export {
  type Canonicalization,
  type CanonicalMethod,
  canonicalize,
} from "./canonicalize.js";
export {
  type IndexAction,
  indexActionOf,
  permuteCoordinates,
  type TensorBlock,
} from "./index-action.js";
export { MAX_LIE_REP_SIZE, stabilizerAlgebra } from "./lie-stabilizer.js";
export * from "./losses/index.js";
export * from "./metrics/index.js";
export {
  DEFAULT_LIMIT,
  DEFAULT_NODE_LIMIT,
  DEFAULT_TOLERANCE,
  type SymmetryOptions,
} from "./options.js";
export { isGeneric, type OrbitType, orbit, orbitSize, orbitType } from "./orbit.js";
export {
  type EuclideanGroup,
  euclideanOrthogonal,
  type OrthogonalFrame,
  orthogonalFrame,
} from "./orthogonal-frame.js";
export { plugin } from "./plugin.js";
export { type PointCloud, pointCloudOf } from "./point-cloud.js";
export { stabilizer } from "./stabilizer.js";
export {
  Stabilizer,
  type StabilizerAlgebra,
  type StabilizerMethod,
} from "./stabilizer-group.js";
export * from "./strategies/index.js";
export type { Strategy, StrategyContext } from "./strategy.js";
export { VERSION } from "./version.js";
