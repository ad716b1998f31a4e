import { defineEntry, z } from "@isotropy/core";
import type { Strategy } from "../strategy.js";
import { cloningStrategy } from "./cloning-strategy.js";
import { DEFAULT_LAMBDA_EQUIV, DEFAULT_LAMBDA_FREE, RPP_SCALE } from "./rpp.js";
import { rppStrategy } from "./rpp-strategy.js";

/** The approximate-symmetry strategies, as `strategies` entries of the registry. */
export const approximateStrategies = {
  rpp: defineEntry({
    description:
      "Residual pathway priors (Finzi, Benton, Wilson 2021): EMLP with W = W_equiv + W_free, soft equivariance",
    schema: z.object({
      lambdaFree: z.number().nonnegative().default(DEFAULT_LAMBDA_FREE),
      lambdaEquiv: z.number().nonnegative().default(DEFAULT_LAMBDA_EQUIV),
      scale: z.number().nonnegative().default(RPP_SCALE),
    }),
    create: (params): Strategy => rppStrategy(params),
  }),
  cloning: defineEntry({
    description:
      "Symmetry cloning (Huang et al. 2024): a plain MLP cloned from EMLP teachers, held near its clone by lambda ||theta - theta_cloned||^2",
    schema: z.object({
      mode: z.enum(["single", "family", "init"]).default("single"),
      lambda: z.number().nonnegative().default(1),
      steps: z.number().int().nonnegative().default(1000),
      batchSize: z.number().int().positive().default(128),
      learningRate: z.number().positive().default(3e-3),
      schedule: z.enum(["constant", "cosine"]).default("constant"),
      equivarianceWeight: z.number().nonnegative().default(0),
      equivarianceSchedule: z.enum(["constant", "linear"]).default("constant"),
      defectElements: z.number().int().positive().default(1),
      teacherChannels: z.number().int().positive().optional(),
      teacher: z.enum(["random", "trained"]).default("random"),
      teacherEpochs: z.number().int().nonnegative().default(300),
      poolSize: z.number().int().positive().default(8),
      inputScale: z.number().positive().default(1),
      // CLI specs give strings: cloning:adapters=false.
      adapters: z
        .union([z.boolean(), z.enum(["true", "false"]).transform((v) => v === "true")])
        .default(true),
    }),
    create: (params): Strategy => cloningStrategy(params),
  }),
};
