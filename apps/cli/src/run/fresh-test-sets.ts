import { rng } from "@isotropy/core";
import type { Task } from "@isotropy/tasks";
import { evaluate, type TrainableModule } from "@isotropy/train";

/** A trained model's test MSE over independent test sets (`--fresh-test-sets`). */
export interface FreshTestMSE {
  /** Number of test sets and samples in each. */
  sets: number;
  size: number;
  mean: number;
  median: number;
  min: number;
  max: number;
}

/**
 * Test MSE of `model` on `sets` test sets of `size` samples each, drawn afresh from the task's
 * distribution (one extra seeded pool, derived from the run's data seed, cut into sets). Why: on tasks
 * with heavy-tailed labels (particle-interaction's degree-4 polynomial) the MSE over one test set
 * is dominated by its few most extreme points, so the split's own test MSE is a noisy draw; the
 * mean over many sets estimates the expected test MSE, and the median the typical one.
 */
export async function freshTestMSE(
  model: TrainableModule,
  task: Task,
  seed: number,
  sets: number,
  size: number,
): Promise<FreshTestMSE> {
  const poolSeed = rng(seed).fork("fresh-test-sets").uint32();
  const pool = task.generate({
    nTrain: 1,
    nVal: 0,
    nTest: sets * size,
    poolSize: sets * size + 1,
    seed: poolSeed,
  }).test;
  const { inputDim, outputDim } = task;
  const mses: number[] = [];
  for (let k = 0; k < sets; k++) {
    const split = {
      x: pool.x.subarray(k * size * inputDim, (k + 1) * size * inputDim),
      y: pool.y.subarray(k * size * outputDim, (k + 1) * size * outputDim),
      n: size,
    };
    mses.push((await evaluate(model, split)).mse);
  }
  const sorted = [...mses].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return {
    sets,
    size,
    mean: mses.reduce((a, b) => a + b, 0) / sets,
    median:
      sorted.length % 2 === 1
        ? (sorted[mid] as number)
        : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2,
    min: sorted[0] as number,
    max: sorted[sets - 1] as number,
  };
}
