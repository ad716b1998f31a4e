import { definePlugin } from "@isotropy/core";
import { VERSION } from "./version.js";
import { wasmBackend } from "./wasm-backend.js";

/** TensorFlow.js WASM (SIMD) compute backend: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/backend-wasm",
  version: VERSION,
  apiVersion: "^1",
  description: "TensorFlow.js WASM (SIMD) compute backend",
  backends: { wasm: wasmBackend },
});
