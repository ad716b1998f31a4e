import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import type { ApplyContext, Module } from "./module.js";

/**
 * A layer that can also run on feature-major activations, [features, batch]: the same map on
 * the transposed layout. A stack of such layers then runs from end to end without a transpose
 * between layers: the node backend's fused kernels work on transposed activations inside, so in
 * the batch-major layout every kernel call pays for two or three transposes.
 */
export interface FeatureMajorModule extends Module {
  /** Whether `applyFeatureMajor` runs on the active backend (it needs the fused kernels). */
  featureMajorReady(): boolean;
  /** The layer's map, transposed: x^T [inputSize, batch] to y^T [outputSize, batch]. */
  applyFeatureMajor(xT: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D;
}

/** Whether `m` runs feature-major on the active backend now. */
export function featureMajorReady(m: Module): m is FeatureMajorModule {
  const f = m as Partial<FeatureMajorModule>;
  return typeof f.applyFeatureMajor === "function" && f.featureMajorReady?.() === true;
}

/** Throws unless xT is [size, batch]. */
export function checkFeatureMajorInput(xT: tf.Tensor, size: number, what: string): void {
  if (xT.rank !== 2 || xT.shape[0] !== size) {
    throw new ShapeError(
      `${what} feature-major input`,
      `[${size}, batch]`,
      `[${xT.shape.join(", ")}]`,
    );
  }
}

/** The error of `applyFeatureMajor` where `featureMajorReady()` is false. */
export function featureMajorUnavailable(what: string): InvalidArgumentError {
  return new InvalidArgumentError(
    `${what}: feature-major activations need core's fused layer kernels, which the active backend "${tf.getBackend()}" lacks (ask featureMajorReady() first).`,
  );
}
