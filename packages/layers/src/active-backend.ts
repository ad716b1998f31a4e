import * as tf from "@tensorflow/tfjs-core";

/** Whether the active tfjs backend registers every kernel named (core's fused kernels). */
export function activeBackendHas(...kernelNames: string[]): boolean {
  const backend = tf.getBackend();
  return backend !== undefined && kernelNames.every((k) => tf.getKernel(k, backend) !== undefined);
}
