import { defineEntry, definePlugin, type Rng, rng, z } from "@isotropy/core";
import { type Group, isGroup } from "@isotropy/groups";
import { parseRep, Rep } from "@isotropy/reps";
import { BiLinear } from "./bilinear.js";
import { EMLP } from "./emlp.js";
import { EquivariantLinear } from "./equivariant-linear.js";
import { GatedNonlinearity } from "./gated.js";
import { MLP } from "./mlp.js";
import { VERSION } from "./version.js";

const group = z.custom<Group>(isGroup, "must be a Group");
/** A Rep, or its text in the rep grammar (parsed against the entry's group). */
const rep = z.union([z.string(), z.custom<Rep>((x) => x instanceof Rep, "must be a Rep")]);
const seed = z.union([
  z.number().int(),
  z.custom<Rng>((x) => typeof (x as Rng)?.normal === "function"),
]);
const positive = z.number().int().min(1);

function toRep(r: string | Rep, g: Group): Rep {
  return typeof r === "string" ? parseRep(r, g) : r;
}

function toRng(s: number | Rng | undefined): Rng {
  return s === undefined ? rng(0) : typeof s === "number" ? rng(s) : s;
}

/** Equivariant layers and models: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/layers",
  version: VERSION,
  apiVersion: "^1",
  description: "Equivariant layers and models",
  layers: {
    EquivariantLinear: defineEntry({
      description: "Equivariant linear map repIn -> repOut; parameters are basis coefficients",
      schema: z.object({
        group,
        repIn: rep,
        repOut: rep,
        seed: seed.optional(),
        bias: z.boolean().optional(),
      }),
      create: (p) =>
        new EquivariantLinear(toRep(p.repIn, p.group), toRep(p.repOut, p.group), {
          rng: toRng(p.seed),
          bias: p.bias ?? true,
        }),
    }),
    BiLinear: defineEntry({
      description: "emlp's equivariant bilinear layer (weights built from the input's own tensors)",
      schema: z.object({
        group,
        repIn: rep,
        repOut: rep,
        seed: seed.optional(),
        gain: z.number().positive().optional(),
      }),
      create: (p) =>
        new BiLinear(toRep(p.repIn, p.group), toRep(p.repOut, p.group), {
          rng: toRng(p.seed),
          ...(p.gain === undefined ? {} : { gain: p.gain }),
        }),
    }),
    GatedNonlinearity: defineEntry({
      description: "Sigmoid gates on non-scalar blocks, Swish on scalars (input gated(rep))",
      schema: z.object({ group, rep }),
      create: (p) => new GatedNonlinearity(toRep(p.rep, p.group)),
    }),
    EMLP: defineEntry({
      description: "Equivariant MLP (Finzi et al. 2021) with a deterministic uniform hidden rep",
      schema: z.object({
        group,
        repIn: rep,
        repOut: rep,
        channels: positive.default(384),
        layers: z.number().int().min(0).default(3),
        seed: seed.optional(),
      }),
      create: (p) =>
        new EMLP(toRep(p.repIn, p.group), toRep(p.repOut, p.group), p.group, {
          channels: p.channels,
          layers: p.layers,
          rng: toRng(p.seed),
        }),
    }),
    MLP: defineEntry({
      description: "Baseline MLP with Swish (not equivariant)",
      schema: z.object({
        inputSize: positive,
        outputSize: positive,
        channels: positive.default(384),
        layers: z.number().int().min(0).default(3),
        seed: seed.optional(),
      }),
      create: (p) =>
        new MLP(p.inputSize, p.outputSize, {
          channels: p.channels,
          layers: p.layers,
          rng: toRng(p.seed),
        }),
    }),
  },
});
