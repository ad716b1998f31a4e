import type { Strategy, StrategyContext } from "../strategy.js";
import { type BreakingModel, type BreakingStrategyOptions, buildBreakingModel } from "./relaxed.js";

/**
 * Probabilistic symmetry breaking (SymPE, Lawrence et al. 2025): as `relaxed`, but the frame is
 * drawn uniformly from the coset c(x) Stab(canonical) = Stab(x) c(x) at every call (from ctx.rng
 * when given). Equivariant in distribution; deterministic on inputs with trivial stabilizer; every
 * draw is still relaxed equivariant.
 */
export class SymPEStrategy implements Strategy {
  readonly name = "sympe";
  readonly exactlyEquivariant = false;

  constructor(readonly options: BreakingStrategyOptions = {}) {}

  build(ctx: StrategyContext): BreakingModel {
    return buildBreakingModel(ctx, this.options, "sample", "SymPE");
  }
}
