import type { Strategy, StrategyContext } from "../strategy.js";
import { type BreakingModel, type BreakingStrategyOptions, buildBreakingModel } from "./relaxed.js";

/**
 * Symmetry-breaking sets (Xie & Smidt 2024) for finite stabilizers: the breaking objects
 * { rho_b(c(x) s) b0 : s in Stab(canonical) } are enumerated and `allOutputs(x)` returns every
 * degenerate output { rho_out(h) f(x) : h in Stab(x) }; `apply` returns the canonical one (the
 * same as `relaxed`).
 */
export class SBSStrategy implements Strategy {
  readonly name = "sbs";
  readonly exactlyEquivariant = false;

  constructor(readonly options: BreakingStrategyOptions = {}) {}

  build(ctx: StrategyContext): BreakingModel {
    return buildBreakingModel(ctx, this.options, "canonical", "SymmetryBreakingSet");
  }
}
