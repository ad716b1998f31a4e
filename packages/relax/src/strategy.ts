import type { Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import type { Module } from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";

/** What a strategy needs to build a model for a task. */
export interface StrategyContext {
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  /** Hidden width (channels per layer, as for `EMLP` and `MLP`) and depth. */
  readonly channels: number;
  readonly layers: number;
  readonly rng: Rng;
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
