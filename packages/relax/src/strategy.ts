import type { Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import type { Module } from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";
import type * as tf from "@tensorflow/tfjs-core";

/** What a strategy needs to build a model for a task. */
export interface StrategyContext {
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  /** Hidden width (channels per layer, as for `EMLP` and `MLP`) and depth. */
  readonly channels: number;
  readonly layers: number;
  readonly rng: Rng;
  /**
   * The training split in the model's own coordinates (inside the task's standardisation), for
   * strategies that learn from the data while building (cloning from a trained teacher). Front
   * ends pass it when they have it.
   */
  readonly train?: { readonly x: tf.Tensor2D; readonly y: tf.Tensor2D };
}

/**
 * A way to build a model with respect to a symmetry: exactly equivariant (`none`), relaxed,
 * noisy, probabilistic, soft (`rpp`), cloned. Strategies are `strategies` entries of the
 * registry: `registry.create("strategies", name, params)` returns a Strategy, and the training
 * path calls `build` — the model's `penalty()`, when present, is added to the training loss.
 */
export interface Strategy {
  readonly name: string;
  /** Whether every model it builds is exactly equivariant (for reports). */
  readonly exactlyEquivariant: boolean;
  /** Builds the model; may train first (symmetry cloning). */
  build(ctx: StrategyContext): Module | Promise<Module>;
}
