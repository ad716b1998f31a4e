import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { Adam } from "../src/index.js";

await tf.setBackend("cpu");

describe("Adam", () => {
  it("matches tf.train.adam step for step", async () => {
    const init = [0.5, -1.5, 2, 0.25, -0.75, 1];
    const mine = tf.variable(tf.tensor2d(init, [2, 3]));
    const ref = tf.variable(tf.tensor2d(init, [2, 3]));
    const adam = new Adam([{ name: "w", variable: mine }], { epsilon: 1e-8 });
    const reference = tf.train.adam(0.01, 0.9, 0.999, 1e-8);
    for (let t = 1; t <= 8; t++) {
      // a gradient that varies with t and with the current weights
      const g = tf.tidy(() => tf.add(tf.mul(mine, 0.3 * t), tf.sin(tf.scalar(t))));
      const gRef = tf.tidy(() => tf.add(tf.mul(ref, 0.3 * t), tf.sin(tf.scalar(t))));
      adam.apply({ [mine.name]: g }, 0.01);
      reference.applyGradients([{ name: ref.name, tensor: gRef }]);
      g.dispose();
      gRef.dispose();
    }
    const a = mine.dataSync();
    const b = ref.dataSync();
    for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(2e-6); // float32 rounding of tfjs beta powers
    expect(adam.step).toBe(8);
    adam.dispose();
    reference.dispose();
    mine.dispose();
    ref.dispose();
  });

  it("exports and reloads its state exactly", async () => {
    const w1 = tf.variable(tf.tensor1d([1, 2, 3]));
    const w2 = tf.variable(tf.tensor1d([1, 2, 3]));
    const a1 = new Adam([{ name: "w", variable: w1 }]);
    const a2 = new Adam([{ name: "w", variable: w2 }]);
    const g = tf.tensor1d([0.1, -0.2, 0.3]);
    a1.apply({ [w1.name]: g }, 0.1);
    a1.apply({ [w1.name]: g }, 0.1);
    a2.load(await a1.state());
    w2.assign(w1);
    a1.apply({ [w1.name]: g }, 0.1);
    a2.apply({ [w2.name]: g }, 0.1);
    expect(w2.dataSync()).toEqual(w1.dataSync());
    expect(a2.step).toBe(3);
    const before = tf.memory().numTensors;
    a1.dispose();
    a2.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
    for (const t of [w1, w2, g]) t.dispose();
  });
});
