import { defineEntry, z } from "@isotropy/core";
import { GRAPH_FAMILIES } from "./graphs.js";
import { COUPLING_KINDS, ising } from "./ising.js";
import { maxCut } from "./max-cut.js";
import { polygonDeform } from "./polygon-deform.js";
import { setDecoding } from "./set-decoding.js";

const graphSchema = {
  nodes: z.number().int().min(3).max(20).optional(),
  families: z.array(z.enum(GRAPH_FAMILIES)).min(1).optional(),
  degree: z.number().int().min(1).optional(),
  edgeProbability: z.number().gt(0).max(1).optional(),
  relaxation: z.enum(["sphere", "tanh"]).optional(),
  integrality: z.number().min(0).optional(),
};

/** Registry entries of the symmetry-breaking tasks (`create` returns a `SymmetryBreakingTask`). */
export const breakingTaskEntries = {
  "polygon-deform": defineEntry({
    description:
      "Buckling: stretch a k-gon along its farthest vertex (area kept); O(2)xS(k) on V[0]*V[1]; regular polygons are ambiguous up to D_k.",
    schema: z.object({
      k: z.number().int().min(3).optional(),
      stretch: z.number().gt(1).optional(),
      regularFraction: z.number().min(0).max(1).optional(),
    }),
    create: (params: { k?: number; stretch?: number; regularFraction?: number }) =>
      polygonDeform(params),
    symmetryBreaking: true,
  }),
  "max-cut": defineEntry({
    description:
      "Max-cut: adjacency (T(2) of S(n)) to one score per node; unsupervised relaxed-cut loss; exact optimum for n <= 20.",
    schema: z.object(graphSchema),
    create: (params: z.infer<z.ZodObject<typeof graphSchema>>) => maxCut(params),
    symmetryBreaking: true,
  }),
  ising: defineEntry({
    description:
      "Ising ground states: couplings (T(2) of S(n)) to spins; unsupervised relaxed-energy loss; exact ground state for n <= 20.",
    schema: z.object({
      ...graphSchema,
      couplings: z.array(z.enum(COUPLING_KINDS)).min(1).optional(),
    }),
    create: (
      params: z.infer<z.ZodObject<typeof graphSchema>> & {
        couplings?: (typeof COUPLING_KINDS)[number][];
      },
    ) => ising(params),
    symmetryBreaking: true,
  }),
  "set-decoding": defineEntry({
    description:
      "Set autoencoder: decode n distinct points from n identical copies of an invariant code; optimal-matching error.",
    schema: z.object({ points: z.number().int().min(2).optional() }),
    create: (params: { points?: number }) => setDecoding(params),
    symmetryBreaking: true,
  }),
};
