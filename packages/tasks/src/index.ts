export { plugin } from "./plugin.js";
export { VERSION } from "./version.js";
