import { definePlugin } from "@isotropy/core";
import { VERSION } from "./version.js";

/** Equivariant layers and models: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/layers",
  version: VERSION,
  apiVersion: "^1",
  description: "Equivariant layers and models",
});
