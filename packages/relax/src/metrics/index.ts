export { minCostAssignment } from "./assignment.js";
export {
  type DistributionOptions,
  energyTest,
  equivarianceInDistribution,
  type TwoSampleOptions,
  type TwoSampleTest,
} from "./distribution-test.js";
export {
  equivarianceError,
  pointEquivarianceError,
} from "./equivariance-error.js";
export { evaluate, type ModelLike } from "./evaluate.js";
export {
  METRIC_TOLERANCE,
  meanRelaxedEquivarianceError,
  type RelaxedEquivariance,
  type RelaxedEquivarianceOptions,
  type RelaxedMethod,
  relaxedEquivariance,
  relaxedEquivarianceError,
} from "./relaxed-equivariance-error.js";
export {
  isSymmetryBroken,
  type SymmetryBrokenOptions,
  symmetryBreaking,
} from "./symmetry-broken.js";
