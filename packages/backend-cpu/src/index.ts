export { cpuBackend } from "./cpu-backend.js";
export { plugin } from "./plugin.js";
export { VERSION } from "./version.js";
