import { InvalidArgumentError } from "@isotropy/core";
import { childRng, EMLP } from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";
import { canonicalize } from "../canonicalize.js";
import { DEFAULT_TOLERANCE } from "../options.js";
import type { Strategy, StrategyContext } from "../strategy.js";
import { type FrameChoice, SymmetryBreakingModel } from "./breaking-model.js";
import { genericBreakingObject, resolveBreakingRep } from "./breaking-object.js";

export interface BreakingStrategyOptions {
  /** The representation of the breaking objects (Rep or rep text); default `defaultBreakingRep`. */
  readonly breakingRep?: string | Rep;
  /**
   * Stabilizer / canonicalization tolerance (default 1e-5: inputs arrive as float32, whose
   * rounding must not count as breaking a symmetry).
   */
  readonly tol?: number;
}

/** The default tolerance of the breaking strategies (float32 inputs). */
export const BREAKING_TOLERANCE = 1e-5;

/** Builds F on repIn + repB, b0, and checks that the input can be canonicalised. */
export function buildBreakingModel(
  ctx: StrategyContext,
  opts: BreakingStrategyOptions,
  frame: FrameChoice,
  name: string,
): SymmetryBreakingModel {
  const tol = opts.tol ?? BREAKING_TOLERANCE;
  if (!(tol > 0 && tol < 1)) {
    throw new InvalidArgumentError(`${name}: tol must lie in (0, 1), got ${String(tol)}.`);
  }
  const { group, repIn, repOut } = ctx;
  const repB = resolveBreakingRep(group, opts.breakingRep);
  try {
    canonicalize(group, repIn, ctx.rng.fork("probe").normals(repIn.size), { tol });
  } catch (e) {
    throw new InvalidArgumentError(
      `Strategy ${name} does not fit ${group.name} acting on ${repIn.toString()}: it needs ` +
        `canonical frames, and ${(e as Error).message}`,
    );
  }
  const b0 = genericBreakingObject(group, repB, childRng(ctx.rng, "b0"), DEFAULT_TOLERANCE);
  const inner = new EMLP(repIn.plus(repB), repOut, group, {
    channels: ctx.channels,
    layers: ctx.layers,
    rng: childRng(ctx.rng, "emlp"),
  });
  return new SymmetryBreakingModel({
    group,
    repIn,
    repOut,
    repB,
    b0,
    inner,
    frame,
    tol,
    rng: childRng(ctx.rng, "frames"),
    name,
  });
}

/**
 * Deterministic relaxed equivariance (Kaba & Ravanbakhsh 2023): the breaking object
 * b(x) = rho_b(c(x)) b0, c(x) the canonical frame, fed beside x into a jointly equivariant EMLP
 * (`SymmetryBreakingModel`). f(g x) = rho_out(g h) f(x) with h in Stab(x); plain equivariance on
 * inputs with trivial stabilizer.
 */
export class RelaxedStrategy implements Strategy {
  readonly name: string = "relaxed";
  readonly exactlyEquivariant = false;

  constructor(readonly options: BreakingStrategyOptions = {}) {}

  build(ctx: StrategyContext): SymmetryBreakingModel {
    return buildBreakingModel(ctx, this.options, "canonical", "RelaxedEquivariant");
  }
}
