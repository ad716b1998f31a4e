export { GroupAugmentation } from "./augmentation.js";
export { BasisAssembly } from "./basis-assembly.js";
export { BiLinear, type BiLinearOptions, type BiLinearPair } from "./bilinear.js";
export {
  applyEMLPBlock,
  applyEMLPStack,
  DEFAULT_BILINEAR_SCALE,
  disposeEMLPBlock,
  disposeEMLPStack,
  EMLP,
  EMLPBlock,
  type EMLPBlockOptions,
  type EMLPBlockParts,
  type EMLPOptions,
  type EMLPStackParts,
  emlpStackMetadata,
  emlpStackWeights,
} from "./emlp.js";
export { EquivariantLinear, type EquivariantLinearOptions } from "./equivariant-linear.js";
export { WeightFileError } from "./errors.js";
export {
  checkFeatureMajorInput,
  type FeatureMajorModule,
  featureMajorReady,
} from "./feature-major.js";
export { GatedNonlinearity, gated, gateIndices } from "./gated.js";
export { gradientsRegistered } from "./gradients.js";
export { Dense, MLP, type MLPOptions, swish } from "./mlp.js";
export {
  type ModelEquivarianceOptions,
  modelEquivarianceError,
} from "./model-equivariance.js";
export {
  type ApplyContext,
  assertFinite,
  checkInput,
  childRng,
  type Module,
  makeVariable,
  type NamedWeight,
  parameterCount,
  prefixWeights,
} from "./module.js";
export { plugin } from "./plugin.js";
export {
  isPermutationLeaf,
  isScalarLeaf,
  type LeafInstance,
  type LeafType,
  leafInstances,
  leafTypes,
} from "./rep-layout.js";
export {
  type DecodedSafetensors,
  decodeSafetensors,
  encodeSafetensors,
  type SafetensorsDtype,
  type SafetensorsTensor,
} from "./safetensors.js";
export { Standardize, type StandardizeOptions, type Stat } from "./standardize.js";
export { binomialSplit, rankCounts, uniformRep } from "./uniform-rep.js";
export { VERSION } from "./version.js";
export { exportWeights, type ImportOptions, importWeights, WEIGHT_FORMAT } from "./weight-io.js";
