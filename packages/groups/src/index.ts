export { GL, O, realify, Scaling, SL, SO, Sp, SU, symplecticForm, U } from "./classical.js";
export { type CoordinateSlice, Embed } from "./embed.js";
export { A, C, Cube, D, RUBIKS_CUBE_ORDER, RubiksCube, S, Trivial, Z, ZksZnxZn } from "./finite.js";
export {
  DEFAULT_ELEMENT_LIMIT,
  type Group,
  type GroupFactor,
  type InvariantForm,
  isGroup,
} from "./group.js";
export { Lorentz, lorentzGenerators, minkowskiMetric, Opq, SOplus, SOpq } from "./lorentz.js";
export {
  type GeneratorsSpec,
  type GroupSpec,
  groupFromGenerators,
  MatrixGroup,
} from "./matrix-group.js";
export {
  isAntisymmetric,
  isIdentity,
  isOrthogonalMatrix,
  permutationOf,
} from "./matrix-utils.js";
export { haarOrthogonal, soGenerators } from "./orthogonal.js";
export {
  isIdentityPerm,
  permIdentity,
  permInverse,
  permMul,
  StabilizerChain,
} from "./permutation.js";
export { plugin } from "./plugin.js";
export { directProduct } from "./product.js";
export { VERSION } from "./version.js";
