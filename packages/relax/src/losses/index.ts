export {
  meanSquaredError,
  orbitAwareLoss,
  orbitAwareLossUnder,
  type PairLoss,
  stabilizerTargets,
} from "./orbit-aware-loss.js";
