export { dual, mapRep, multiple, power, Scalar, sum, T, tensor, V } from "./algebra.js";
export { type BlockBasis, DenseBasis, kronBasis, OrbitBasis } from "./block-basis.js";
export { brauerInvariants, brauerSpanningSet, type SparseTensor } from "./brauer.js";
export {
  type BasisCache,
  defaultCache,
  MemoryCache,
  SOLVER_VERSION,
  TieredCache,
} from "./cache.js";
export {
  basisEquivarianceError,
  mapEquivarianceError,
  scaleAdjustedError,
} from "./equivariance-error.js";
export {
  type BasisPair,
  EquivariantBasis,
  type EquivariantBasisOptions,
  equivariantBasis,
} from "./equivariant-basis.js";
export {
  BUILTIN_REP_NAMES,
  evaluateGroupAst,
  evaluateRepAst,
  formatGroupAst,
  formatRepAst,
  type GroupArg,
  type GroupAst,
  type GroupBuilder,
  PositionedUnknownNameError,
  parseGroupAst,
  parseRepAst,
  parseRepMapAst,
  type RepAst,
  type RepBuilder,
  registryGroupBuilder,
  tokenize,
} from "./grammar/index.js";
export {
  DEFAULT_DENSE_LIMIT,
  DEFAULT_MAX_ORBITAL_SIZE,
  DEFAULT_MAX_SIZE,
  groupKey,
  MAX_BRAUER_SPANNING,
  type SolveMethod,
  type SolveOptions,
  tensorInvariants,
} from "./invariants.js";
export { orbitalInvariants } from "./orbital.js";
export { parseGroup, parseRep, parseRepMap, repBuilder } from "./parse.js";
export { plugin } from "./plugin.js";
export { type EquivariantProjector, equivariantProjector } from "./projector.js";
export { type Decomposition, DualRep, Rep } from "./rep.js";
export { rhoOperator } from "./rho-operator.js";
export { SumRep } from "./sum-rep.js";
export { type TensorFactor, TensorRep } from "./tensor-rep.js";
export { VERSION } from "./version.js";
