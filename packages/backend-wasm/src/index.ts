export { plugin } from "./plugin.js";
export { VERSION } from "./version.js";
export { wasmBackend } from "./wasm-backend.js";
