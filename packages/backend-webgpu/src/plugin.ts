import { definePlugin } from "@isotropy/core";
import { VERSION } from "./version.js";
import { webgpuBackend } from "./webgpu-backend.js";

/** TensorFlow.js WebGPU compute backend: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/backend-webgpu",
  version: VERSION,
  apiVersion: "^1",
  description: "TensorFlow.js WebGPU compute backend",
  backends: { webgpu: webgpuBackend },
});
