// The entry bundlers pick (the "browser" condition): tfjs-core's gradient functions are a
// separate side-effect module, and a bundler resolves its extensionless imports.
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";

export * from "./index.js";
