/** How the cloning phase's learning rate moves over its steps. */
export type CloneSchedule = "constant" | "cosine";

/** How the weight of the cloning loss's equivariance term moves over the steps. */
export type EquivarianceSchedule = "constant" | "linear";

/**
 * The learning rate of cloning step `step` (1-based) of `steps`: constant, or a half cosine from
 * `base` at the first step down towards 0 at the last.
 */
export function cloningRate(
  base: number,
  step: number,
  steps: number,
  schedule: CloneSchedule,
): number {
  if (schedule === "constant") return base;
  return base * 0.5 * (1 + Math.cos((Math.PI * (step - 1)) / steps));
}

/**
 * The equivariance term's weight at cloning step `step` (1-based) of `steps`: `weight` throughout,
 * or rising linearly from weight/steps at the first step to `weight` at the last. The ramp lets
 * the student first copy the teacher and then spend what it has learnt on commuting with the
 * group; a constant weight as large fights the copy from the start (APPROXIMATE.md).
 */
export function equivarianceWeightAt(
  weight: number,
  step: number,
  steps: number,
  schedule: EquivarianceSchedule,
): number {
  if (schedule === "constant") return weight;
  return (weight * step) / steps;
}
