import { definePlugin } from "@isotropy/core";
import { VERSION } from "./version.js";

/** Representations of matrix groups: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/reps",
  version: VERSION,
  apiVersion: "^1",
  description: "Representations of matrix groups",
});
