import { BackendUnavailableError } from "@isotropy/core";
import { gradientsRegistered } from "@isotropy/layers";
import * as tf from "@tensorflow/tfjs-core";

// Bundlers get tfjs's gradients through this package's `browser` entry, Node through
// `registerGradients()` of `@isotropy/train/node` (which its `train` calls).
export { gradientsRegistered };

/** Throws BackendUnavailableError, saying how to register them, when gradients are missing. */
export function assertGradients(): void {
  if (gradientsRegistered()) return;
  throw new BackendUnavailableError(
    tf.getBackend() ?? "tfjs",
    "TensorFlow.js gradients are not registered, so nothing can be trained. In Node, import " +
      '{ train } from "@isotropy/train/node" (or await registerGradients() from it); with a ' +
      'bundler, import "@isotropy/train" through its "browser" entry or ' +
      '"@tensorflow/tfjs-core/dist/register_all_gradients.js"',
  );
}
