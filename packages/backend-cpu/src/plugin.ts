import { definePlugin } from "@isotropy/core";
import { cpuBackend } from "./cpu-backend.js";
import { VERSION } from "./version.js";

/** TensorFlow.js CPU compute backend: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/backend-cpu",
  version: VERSION,
  apiVersion: "^1",
  description: "TensorFlow.js CPU compute backend",
  backends: { cpu: cpuBackend },
});
