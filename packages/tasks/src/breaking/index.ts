export { type Assignment, hungarian } from "./assignment.js";
export { automorphismOrbits, DEFAULT_AUTOMORPHISM_NODE_LIMIT } from "./automorphisms.js";
export { breakingTaskEntries } from "./entries.js";
export {
  DEFAULT_INTEGRALITY,
  type GraphTaskOptions,
  MAX_REFERENCE_N,
  relaxSpins,
  SCORE_TIE,
  type SpinRelaxation,
} from "./graph-instances.js";
export {
  completeBipartiteGraph,
  cycleGraph,
  erdosRenyiGraph,
  familiesForSize,
  GRAPH_FAMILIES,
  type GraphFamily,
  type GraphOptions,
  hypercubeGraph,
  makeGraph,
  petersenGraph,
  randomRegularGraph,
  relabelGraph,
  torusGraph,
  torusShape,
  VERTEX_TRANSITIVE_FAMILIES,
} from "./graphs.js";
export {
  COUPLING_KINDS,
  type CouplingKind,
  energyGap,
  type IsingData,
  type IsingOptions,
  ising,
  isingEnergy,
  isingGroundState,
  isingOrbitConstant,
} from "./ising.js";
export {
  cutValue,
  edgeWeight,
  type MaxCutData,
  type MaxCutOptions,
  maxCut,
  maxCutExact,
  maxCutOrbitConstant,
} from "./max-cut.js";
export {
  FARTHEST_TIE_TOLERANCE,
  farthestVertices,
  type PolygonDeformData,
  type PolygonDeformOptions,
  polygonDeform,
  polygonTargets,
  regularPolygon,
  regularPolygonBound,
  stretchAlongVertex,
} from "./polygon-deform.js";
export {
  identicalCopies,
  matchingError,
  type SetDecodingData,
  type SetDecodingOptions,
  setDecoding,
  setSpread,
} from "./set-decoding.js";
export {
  MAX_EXHAUSTIVE_N,
  minimizeOrbitConstant,
  minimizeSpinForm,
  type SpinMinimum,
  spinForm,
} from "./spin-search.js";
export type {
  BreakingData,
  BreakingGenerateOptions,
  BreakingMetric,
  Predictions,
  SymmetryBreakingTask,
} from "./types.js";
