import { InvalidArgumentError } from "@isotropy/core";
import { childRng, EMLP, MLP } from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";
import { canonicalize } from "../canonicalize.js";
import { DEFAULT_TOLERANCE } from "../options.js";
import type { Strategy, StrategyContext } from "../strategy.js";
import { SymmetryBreakingModel } from "./breaking-model.js";
import { genericBreakingObject, resolveBreakingRep } from "./breaking-object.js";
import { CanonicalizedModel } from "./canonicalized-model.js";
import type { FrameChoice } from "./framed-model.js";

export interface BreakingStrategyOptions {
  /** The representation of the breaking objects (Rep or rep text); default `defaultBreakingRep`. */
  readonly breakingRep?: string | Rep;
  /**
   * Stabilizer / canonicalization tolerance (default 1e-5: inputs arrive as float32, whose
   * rounding must not count as breaking a symmetry).
   */
  readonly tol?: number;
  /**
   * "canonicalization" (default): f(x) = rho_out(c(x)) MLP(x_c) (`CanonicalizedModel`);
   * "breaking-object": f(x) = EMLP(x, rho_b(c(x)) b0) (`SymmetryBreakingModel`), the paper's
   * construction, whose EMLP must form products of b and x that emlp's bilinear layers reach
   * only through high-rank hidden tensors (see BREAKING.md for the comparison).
   */
  readonly construction?: RelaxedConstruction;
}

/** How a breaking strategy builds its relaxed-equivariant model. */
export type RelaxedConstruction = "canonicalization" | "breaking-object";

/** A model of the breaking strategies: both constructions enumerate degenerate outputs. */
export type BreakingModel = SymmetryBreakingModel | CanonicalizedModel;

/** The default tolerance of the breaking strategies (float32 inputs). */
export const BREAKING_TOLERANCE = 1e-5;

/**
 * Builds the model of a breaking strategy (see `construction`), after checking that the input
 * can be canonicalised.
 */
export function buildBreakingModel(
  ctx: StrategyContext,
  opts: BreakingStrategyOptions,
  frame: FrameChoice,
  name: string,
): BreakingModel {
  const tol = opts.tol ?? BREAKING_TOLERANCE;
  if (!(tol > 0 && tol < 1)) {
    throw new InvalidArgumentError(`${name}: tol must lie in (0, 1), got ${String(tol)}.`);
  }
  const { group, repIn, repOut } = ctx;
  const construction = opts.construction ?? "canonicalization";
  if (construction !== "canonicalization" && construction !== "breaking-object") {
    throw new InvalidArgumentError(
      `${name}: construction must be "canonicalization" or "breaking-object", got ${JSON.stringify(construction)}.`,
    );
  }
  try {
    canonicalize(group, repIn, ctx.rng.fork("probe").normals(repIn.size), { tol });
  } catch (e) {
    throw new InvalidArgumentError(
      `Strategy ${name} does not fit ${group.name} acting on ${repIn.toString()}: it needs ` +
        `canonical frames, and ${(e as Error).message}`,
    );
  }
  if (construction === "canonicalization") {
    const inner = new MLP(repIn.size, repOut.size, {
      channels: ctx.channels,
      layers: ctx.layers,
      rng: childRng(ctx.rng, "mlp"),
    });
    return new CanonicalizedModel({
      group,
      repIn,
      repOut,
      inner,
      frame,
      tol,
      rng: childRng(ctx.rng, "frames"),
      name,
    });
  }
  const repB = resolveBreakingRep(group, opts.breakingRep);
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

  build(ctx: StrategyContext): BreakingModel {
    return buildBreakingModel(ctx, this.options, "canonical", "RelaxedEquivariant");
  }
}
