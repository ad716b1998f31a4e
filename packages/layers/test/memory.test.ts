import { rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { EMLP, GroupAugmentation, MLP, Standardize } from "../src/index.js";
import { randomBatch, useCpu } from "./helpers.js";

beforeAll(useCpu);

const g = O(3);
const repIn = Scalar(g).times(5).plus(V(g).times(5));
const repOut = T(g, 2);

describe("tensor memory", () => {
  it("does not grow across forward and forward+backward passes (cached constants are created once)", () => {
    const start = tf.memory().numTensors;
    const model = new Standardize(
      new EMLP(repIn, repOut, g, { channels: 32, layers: 2, rng: rng(1) }),
      {
        outputScale: 2,
      },
    );
    const aug = new GroupAugmentation(
      new MLP(repIn.size, repOut.size, { channels: 16, layers: 1, rng: rng(2) }),
      g,
      repIn,
      repOut,
    );
    const x = tf.tensor2d(Float32Array.from(randomBatch(rng(3), 8, repIn.size)), [8, repIn.size]);
    const afterBuild = tf.memory().numTensors;
    const step = () => {
      tf.tidy(() => {
        model.apply(x);
        aug.apply(x, { training: true, rng: rng(4) });
        aug.apply(x);
      });
      const vars = model.weights().map((w) => w.variable);
      const { value, grads } = tf.variableGrads(
        () => tf.sum(tf.square(model.apply(x))) as tf.Scalar,
        vars,
      );
      tf.dispose([value, ...Object.values(grads)]);
    };
    step();
    const counts: number[] = [];
    for (let i = 0; i < 3; i++) {
      step();
      counts.push(tf.memory().numTensors);
    }
    expect(counts).toEqual([afterBuild, afterBuild, afterBuild]);
    x.dispose();
    model.dispose();
    aug.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});
