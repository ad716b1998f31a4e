import { definePlugin } from "@isotropy/core";
import { VERSION } from "./version.js";

/** Classic and symmetry-breaking tasks: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/tasks",
  version: VERSION,
  apiVersion: "^1",
  description: "Classic and symmetry-breaking tasks",
});
