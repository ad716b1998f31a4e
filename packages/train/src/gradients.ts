import { BackendUnavailableError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";

/**
 * Whether TensorFlow.js's gradient functions are registered. `@tensorflow/tfjs-core` ships them
 * as a separate side-effect module that its Node bundle does not include: bundlers get them
 * through this package's `browser` entry, Node through `registerGradients()` of
 * `@isotropy/train/node` (which its `train` calls).
 */
export function gradientsRegistered(): boolean {
  return tf.getGradient("BatchMatMul") !== undefined && tf.getGradient("Mean") !== undefined;
}

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
