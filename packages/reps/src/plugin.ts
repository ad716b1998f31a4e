import { defineEntry, definePlugin, z } from "@isotropy/core";
import { type Group, isGroup } from "@isotropy/groups";
import { Scalar, T, V } from "./algebra.js";
import { VERSION } from "./version.js";

const group = z.custom<Group>(isGroup, "must be a Group");
const count = z.number().int().min(0);

/** Representations: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/reps",
  version: VERSION,
  apiVersion: "^1",
  description: "Representations of matrix groups",
  reps: {
    V: defineEntry({
      description: "The base representation of a group (V[i]: of factor i of a product)",
      schema: z.object({ group, factor: count.optional() }),
      create: ({ group, factor }) => V(group, factor),
    }),
    Scalar: defineEntry({
      description: "The trivial one-dimensional representation",
      schema: z.object({ group }),
      create: ({ group }) => Scalar(group),
    }),
    T: defineEntry({
      description: "The tensor representation T(p,q) = V^p ⊗ V*^q",
      schema: z.object({ group, p: count, q: count.default(0), factor: count.optional() }),
      create: ({ group, p, q, factor }) => T(group, p, q, factor),
    }),
  },
});
