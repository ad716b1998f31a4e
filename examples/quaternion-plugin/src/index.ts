export { quaternionPlugin } from "./plugin.js";
export { Q8 } from "./q8.js";
