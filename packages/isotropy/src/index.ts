export * from "@isotropy/core";
export { builtinPlugins, registerBuiltins } from "./builtins.js";
export { VERSION } from "./version.js";
