import { InvalidArgumentError, rng, ShapeError } from "@isotropy/core";
import { O } from "@isotropy/groups";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { EMLPBlock, featureMajorReady, uniformRep } from "../src/index.js";
import { useCpu } from "./helpers.js";

// On a backend without core's fused layer kernels (cpu) nothing runs feature-major: the layers
// say so, refuse a feature-major call with a clear error, and the EMLP stack stays batch-major.
// The node backend's tests check the feature-major path against the batch-major one.

beforeAll(useCpu);

describe("feature-major layers without the fused kernels", () => {
  const g = O(3);
  const block = new EMLPBlock(uniformRep(16, g), uniformRep(16, g), { rng: rng(1) });

  it("are not ready, and refuse a feature-major call naming the backend", () => {
    for (const m of [block, block.linear, block.nonlinearity])
      expect(featureMajorReady(m)).toBe(false);
    expect(block.bilinear.featureMajorReady()).toBe(false);
    const xT = tf.zeros([block.linear.inputSize, 4]) as tf.Tensor2D;
    expect(() => block.linear.applyFeatureMajor(xT)).toThrow(InvalidArgumentError);
    expect(() => block.linear.applyFeatureMajor(xT)).toThrow(/the active backend "cpu" lacks/);
    const hT = tf.zeros([block.bilinear.inputSize, 4]) as tf.Tensor2D;
    expect(() => block.bilinear.applyResidualFeatureMajor(hT)).toThrow(/feature-major activations/);
    expect(() => block.nonlinearity.applyFeatureMajor(hT)).toThrow(/feature-major activations/);
    tf.dispose([xT, hT]);
  });

  it("check the feature-major shape first", () => {
    const x = tf.zeros([4, block.linear.inputSize]) as tf.Tensor2D;
    expect(() => block.linear.applyFeatureMajor(x)).toThrow(ShapeError);
    expect(() => block.applyFeatureMajor(x)).toThrow(new RegExp(`\\[${block.inputSize}, batch\\]`));
    x.dispose();
  });
});
