import { EMLP, type Module } from "@isotropy/layers";
import type { Strategy, StrategyContext } from "../strategy.js";

/**
 * Exact equivariance: the EMLP of Finzi et al. As for every equivariant map, Stab(x) <= Stab(f(x)):
 * the baseline that must fail where the data demand a less symmetric output.
 */
export class NoBreaking implements Strategy {
  readonly name = "none";
  readonly exactlyEquivariant = true;

  build(ctx: StrategyContext): Module {
    return new EMLP(ctx.repIn, ctx.repOut, ctx.group, {
      channels: ctx.channels,
      layers: ctx.layers,
      rng: ctx.rng,
    });
  }
}
