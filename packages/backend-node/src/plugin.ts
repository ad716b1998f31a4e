import { definePlugin } from "@isotropy/core";
import { nodeBackend } from "./node-backend.js";
import { VERSION } from "./version.js";

/** Native Node compute backend: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/backend-node",
  version: VERSION,
  apiVersion: "^1",
  description: "Native Node compute backend",
  backends: { node: nodeBackend },
});
