import { defineEntry, z } from "@isotropy/core";
import { Rep } from "@isotropy/reps";
import type { Strategy } from "../strategy.js";
import { NoiseStrategy } from "./noise.js";
import { NoBreaking } from "./none.js";
import { RelaxedStrategy } from "./relaxed.js";
import { SBSStrategy } from "./sbs.js";
import { SymPEStrategy } from "./sympe.js";

const rep = z.union([z.string(), z.custom<Rep>((x) => x instanceof Rep, "must be a Rep")]);
const breaking = z
  .object({
    breakingRep: rep.optional(),
    tol: z.number().gt(0).lt(1).optional(),
    construction: z.enum(["canonicalization", "breaking-object"]).optional(),
  })
  .optional();

function breakingOptions(
  p:
    | {
        breakingRep?: string | Rep | undefined;
        tol?: number | undefined;
        construction?: "canonicalization" | "breaking-object" | undefined;
      }
    | undefined,
) {
  return {
    ...(p?.construction === undefined ? {} : { construction: p.construction }),
    ...(p?.breakingRep === undefined ? {} : { breakingRep: p.breakingRep }),
    ...(p?.tol === undefined ? {} : { tol: p.tol }),
  };
}

const none = defineEntry({
  description: "Exact equivariance (EMLP): cannot output less symmetric than its input",
  schema: z.object({}).optional(),
  create: (): Strategy => new NoBreaking(),
});

const noise = defineEntry({
  description:
    "Noise injection: G-invariant noise channels appended to the input (equivariant in distribution)",
  schema: z
    .object({
      channels: z.number().int().min(1).optional(),
      scale: z.number().positive().optional(),
    })
    .optional(),
  create: (p): Strategy =>
    new NoiseStrategy({
      ...(p?.channels === undefined ? {} : { channels: p.channels }),
      ...(p?.scale === undefined ? {} : { scale: p.scale }),
    }),
});

const relaxed = defineEntry({
  description: "Relaxed equivariance: a breaking object rho_b(c(x)) b0 beside x in a joint EMLP",
  schema: breaking,
  create: (p): Strategy => new RelaxedStrategy(breakingOptions(p)),
});

const sympe = defineEntry({
  description: "Probabilistic symmetry breaking: frame drawn uniformly from c(x) Stab(x_canonical)",
  schema: breaking,
  create: (p): Strategy => new SymPEStrategy(breakingOptions(p)),
});

const sbs = defineEntry({
  description: "Symmetry-breaking sets: every degenerate output over a finite stabilizer",
  schema: breaking,
  create: (p): Strategy => new SBSStrategy(breakingOptions(p)),
});

/** The symmetry-breaking strategies as registry entries (`strategies` of the relax plugin). */
export const breakingStrategies = { none, noise, relaxed, sympe, sbs };
