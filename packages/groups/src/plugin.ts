import { definePlugin } from "@isotropy/core";
import { VERSION } from "./version.js";

/** Matrix groups given by generators: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/groups",
  version: VERSION,
  apiVersion: "^1",
  description: "Matrix groups given by generators",
});
