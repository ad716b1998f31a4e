import { defineEntry, definePlugin, z } from "@isotropy/core";
import { Q8 } from "./q8.js";

/** Registers Q8 as a group; `registry.create("groups", "Q8", [])` or the grammar's `Q8`. */
export const quaternionPlugin = definePlugin({
  name: "@example/isotropy-quaternions",
  version: "1.0.0",
  apiVersion: "^1",
  groups: {
    Q8: defineEntry({
      description: "The quaternion group Q8 acting on R^4 by left multiplication",
      schema: z.tuple([]),
      create: () => Q8(),
    }),
  },
});
