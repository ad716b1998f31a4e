import type { Checkpoint, RunConfig } from "./checkpoint.js";
import { CheckpointError } from "./errors.js";
import type { NamedWeight } from "./module.js";

/** `RunConfig` fields that may differ on resume: more (or fewer) epochs extend (or cut) a run. */
const MAY_DIFFER: ReadonlySet<keyof RunConfig> = new Set(["epochs"]);

/**
 * Refuses (CheckpointError "mismatch") a checkpoint written by another model (weight names or
 * shapes), on other data, or with other options; the message names the first difference.
 */
export function assertResumable(
  checkpoint: Checkpoint,
  weights: readonly NamedWeight[],
  config: RunConfig,
): void {
  const stored = new Map(checkpoint.state.weights.map((w) => [w.name, w.shape]));
  for (const w of weights) {
    const shape = stored.get(w.name);
    if (shape === undefined) {
      throw new CheckpointError(
        "mismatch",
        `the model has weight "${w.name}" that the checkpoint lacks (was it written by another model?).`,
      );
    }
    const here = w.variable.shape;
    if (shape.length !== here.length || shape.some((d, i) => d !== here[i])) {
      throw new CheckpointError(
        "mismatch",
        `weight "${w.name}" has shape [${here.join(", ")}] here but [${shape.join(", ")}] in the checkpoint.`,
      );
    }
  }
  if (stored.size !== weights.length) {
    const names = new Set(weights.map((w) => w.name));
    const extra = [...stored.keys()].find((n) => !names.has(n));
    throw new CheckpointError(
      "mismatch",
      `the checkpoint has weight "${extra}" that the model lacks (was it written by another model?).`,
    );
  }
  const saved = checkpoint.state.config;
  for (const key of Object.keys(config) as (keyof RunConfig)[]) {
    if (MAY_DIFFER.has(key)) continue;
    if (!Object.is(saved[key], config[key])) {
      throw new CheckpointError(
        "mismatch",
        `${key} is ${JSON.stringify(config[key])} in this run but ${JSON.stringify(saved[key])} ` +
          "in the checkpoint; resume with the options and data of the original run.",
      );
    }
  }
}
