// The browser build of this package (the "browser" export condition): see browser-plugin.ts.
export { NODE_BACKEND, nodeBackend, plugin } from "./browser-plugin.js";
export { VERSION } from "./version.js";
