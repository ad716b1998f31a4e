import type { Strategy, StrategyContext } from "../strategy.js";
import { checkPenaltyWeight } from "./penalties.js";
import { DEFAULT_LAMBDA_EQUIV, DEFAULT_LAMBDA_FREE, RPP_SCALE, RPPEMLP } from "./rpp.js";

export interface RPPParams {
  /** Prior strength on the free pathway (default 1e2). */
  readonly lambdaFree?: number;
  /** Prior strength on the equivariant pathway (default 1e-3). */
  readonly lambdaEquiv?: number;
  /** Initial size of the free pathway relative to the equivariant one (default 1e-3). */
  readonly scale?: number;
}

/** The `rpp` strategy: builds an `RPPEMLP` whose `penalty()` the trainer adds to the loss. */
export function rppStrategy(params: RPPParams = {}): Strategy {
  const lambdaFree = checkPenaltyWeight("lambdaFree", params.lambdaFree ?? DEFAULT_LAMBDA_FREE);
  const lambdaEquiv = checkPenaltyWeight("lambdaEquiv", params.lambdaEquiv ?? DEFAULT_LAMBDA_EQUIV);
  const scale = checkPenaltyWeight("scale", params.scale ?? RPP_SCALE);
  return {
    name: "rpp",
    exactlyEquivariant: false,
    build: (ctx: StrategyContext) =>
      new RPPEMLP(ctx.repIn, ctx.repOut, ctx.group, {
        channels: ctx.channels,
        layers: ctx.layers,
        rng: ctx.rng,
        lambdaFree,
        lambdaEquiv,
        scale,
      }),
  };
}
