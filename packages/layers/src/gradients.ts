import * as tf from "@tensorflow/tfjs-core";

/**
 * Whether TensorFlow.js's gradient functions are registered. `@tensorflow/tfjs-core` ships them
 * as a separate side-effect module (`dist/register_all_gradients.js`) that its Node bundle does
 * not include: bundlers import that module, Node calls `registerGradients()` of
 * `@isotropy/layers/node`.
 */
export function gradientsRegistered(): boolean {
  return tf.getGradient("BatchMatMul") !== undefined && tf.getGradient("Mean") !== undefined;
}
