import { InvalidArgumentError } from "@isotropy/core";
import { childRng, EMLP } from "@isotropy/layers";
import { Scalar } from "@isotropy/reps";
import type { Strategy, StrategyContext } from "../strategy.js";
import { defaultBreakingRep } from "./breaking-object.js";
import { NoiseInjection } from "./noise-injection.js";

export interface NoiseStrategyOptions {
  /** Copies of the noise representation (default 1). */
  readonly channels?: number;
  /** Noise standard deviation (default 1). */
  readonly scale?: number;
}

/**
 * Noise injection: an EMLP on repIn + k copies of a noise representation, fed N(0, scale^2)
 * noise fresh per sample and call (`NoiseInjection`). Equivariant in distribution only. For
 * orthogonal groups (permutations, O(n), their products) the noise lives in
 * `defaultBreakingRep(group)`, e.g. one value per node for S(n): its isotropic Gaussian law is
 * G-invariant and a draw has a trivial stabilizer, so it can break symmetry. Other groups have no
 * G-invariant Gaussian on V, so their noise is k Scalars, which cannot break any symmetry of x.
 */
export class NoiseStrategy implements Strategy {
  readonly name = "noise";
  readonly exactlyEquivariant = false;
  readonly channels: number;
  readonly scale: number;

  constructor(opts: NoiseStrategyOptions = {}) {
    this.channels = opts.channels ?? 1;
    this.scale = opts.scale ?? 1;
    if (!Number.isInteger(this.channels) || this.channels < 1) {
      throw new InvalidArgumentError(
        `noise: channels must be an integer >= 1, got ${this.channels}.`,
      );
    }
    if (!(this.scale > 0 && Number.isFinite(this.scale))) {
      throw new InvalidArgumentError(`noise: scale must be positive, got ${this.scale}.`);
    }
  }

  build(ctx: StrategyContext): NoiseInjection {
    const repNoise = (
      ctx.group.isOrthogonal ? defaultBreakingRep(ctx.group) : Scalar(ctx.group)
    ).times(this.channels);
    const inner = new EMLP(ctx.repIn.plus(repNoise), ctx.repOut, ctx.group, {
      channels: ctx.channels,
      layers: ctx.layers,
      rng: childRng(ctx.rng, "emlp"),
    });
    return new NoiseInjection({
      repIn: ctx.repIn,
      repOut: ctx.repOut,
      repNoise,
      scale: this.scale,
      inner,
      rng: childRng(ctx.rng, "noise"),
    });
  }
}
