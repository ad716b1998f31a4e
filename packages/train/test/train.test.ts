import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, describe, expect, it } from "vitest";
import { cosineSchedule, evaluate, type TrainEvent, train } from "../src/index.js";
import { Linear, linearData, NoisyMlp } from "./helpers.js";

await tf.setBackend("cpu");

const disposers: (() => void)[] = [];
afterEach(() => {
  for (const d of disposers.splice(0)) d();
});

describe("train", () => {
  it("learns a linear map to low MSE and reports the test split", async () => {
    const data = { ...linearData(256, 64), test: linearData(64, 8, 4, 2, 11).train };
    const model = new Linear(4, 2, 1);
    disposers.push(() => model.dispose());
    const before = (await evaluate(model, data.val)).mse;
    const result = await train(model, data, { epochs: 60, batchSize: 64, lr: 0.05, seed: 1 });
    expect(before).toBeGreaterThan(1);
    expect(result.bestValMSE).toBeLessThan(1e-3);
    expect(result.testMSE).toBeLessThan(1e-3);
    expect(result.history).toHaveLength(60);
    expect(result.stepsRun).toBe(60 * 4);
    expect(result.weights).toBe("best");
    expect((await evaluate(model, data.val)).mse).toBe(result.bestValMSE);
  });

  it("trains a hidden-layer model that uses the training generator", async () => {
    const data = linearData(200, 50, 3, 1);
    const model = new NoisyMlp(3, 16, 1, 2);
    disposers.push(() => model.dispose());
    const result = await train(model, data, { epochs: 40, batchSize: 50, lr: 0.01 });
    expect(result.history[0].valMSE).toBeGreaterThan(result.bestValMSE * 5);
    expect(result.bestValMSE).toBeLessThan(0.1);
  });

  it("emits epoch-start, steps, epoch-end per epoch, then done, with sane numbers", async () => {
    const data = linearData(100, 20);
    const model = new Linear(4, 2);
    disposers.push(() => model.dispose());
    const events: TrainEvent[] = [];
    const result = await train(model, data, {
      epochs: 3,
      batchSize: 32,
      onEvent: (e) => {
        events.push(e);
      },
    });
    const types = events.map((e) => (e.type === "step" ? "s" : e.type));
    const epoch = ["epoch-start", "s", "s", "s", "s", "epoch-end"];
    expect(types).toEqual([...epoch, ...epoch, ...epoch, "done"]);
    const steps = events.filter((e) => e.type === "step");
    expect(steps.map((e) => e.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    for (const e of steps) {
      expect(e.totalSteps).toBe(12);
      expect(e.stepsPerEpoch).toBe(4);
      expect(Number.isFinite(e.loss) && e.loss >= 0).toBe(true);
      expect(e.samplesPerSecond).toBeGreaterThan(0);
      expect(Number.isFinite(e.samplesPerSecond)).toBe(true);
      expect(e.lr).toBe(3e-3);
    }
    const ends = events.filter((e) => e.type === "epoch-end");
    expect(ends.map((e) => e.epoch)).toEqual([1, 2, 3]);
    expect(ends.map((e) => e.valMSE)).toEqual(result.history.map((h) => h.valMSE));
    for (const e of ends) expect(e.seconds).toBeGreaterThan(0);
    const done = events.at(-1);
    expect(done).toMatchObject({
      type: "done",
      epoch: 3,
      step: 12,
      bestEpoch: result.bestEpoch,
      valMSE: result.bestValMSE,
    });
    // the last batch has 100 - 3*32 = 4 samples: the epoch's loss is the sample-weighted mean
    const firstEpochSteps = steps.slice(0, 4).map((e) => e.loss);
    const weighted =
      (32 * (firstEpochSteps[0] + firstEpochSteps[1] + firstEpochSteps[2]) +
        4 * firstEpochSteps[3]) /
      100;
    expect(result.history[0].trainLoss).toBeCloseTo(weighted, 12);
  });

  it("applies the schedule's factor to lr at every step", async () => {
    const data = linearData(64, 16);
    const model = new Linear(4, 2);
    disposers.push(() => model.dispose());
    const schedule = cosineSchedule({ minFactor: 0.1 });
    const lrs: number[] = [];
    const result = await train(model, data, {
      epochs: 5,
      batchSize: 16,
      lr: 0.01,
      schedule,
      onEvent: (e) => {
        if (e.type === "step") lrs.push(e.lr);
      },
    });
    expect(lrs).toHaveLength(20);
    lrs.forEach((lr, i) => {
      expect(lr).toBe(0.01 * schedule(i, 20));
    });
    expect(lrs[0]).toBe(0.01);
    expect(lrs[19]).toBeLessThan(0.0015);
    expect(result.history.map((h) => h.lr)).toEqual([3, 7, 11, 15, 19].map((i) => lrs[i]));
  });

  it("adds the model's penalty to the loss", async () => {
    const data = linearData(64, 16);
    const free = new Linear(4, 2, 5);
    const held = new Linear(4, 2, 5);
    held.penalty = () => tf.tidy(() => tf.mul(tf.sum(tf.square(held.w)), 100) as tf.Scalar);
    disposers.push(
      () => free.dispose(),
      () => held.dispose(),
    );
    const a = await train(free, data, { epochs: 20, batchSize: 64, lr: 0.05 });
    const b = await train(held, data, { epochs: 20, batchSize: 64, lr: 0.05 });
    const norm = (m: Linear) => tf.tidy(() => tf.sum(tf.square(m.w)).dataSync()[0]);
    expect(norm(held)).toBeLessThan(0.05 * norm(free));
    expect(b.history[0].trainLoss).toBeGreaterThan(a.history[0].trainLoss);
  });

  it("does not grow the number of tensors across epochs and frees everything it made", async () => {
    const data = linearData(120, 30, 3, 1);
    const model = new NoisyMlp(3, 8, 1);
    disposers.push(() => model.dispose());
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await train(model, data, {
      epochs: 5,
      batchSize: 25,
      onEvent: (e) => {
        if (e.type === "epoch-end") counts.push(tf.memory().numTensors);
      },
    });
    expect(counts).toHaveLength(5);
    expect(counts[4]).toBe(counts[0]);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("evaluate returns the MSE and predictions without leaking tensors", async () => {
    const data = linearData(30, 10);
    const model = new Linear(4, 2);
    disposers.push(() => model.dispose());
    const before = tf.memory().numTensors;
    const { mse, predictions } = await evaluate(model, data.val, 3);
    expect(tf.memory().numTensors).toBe(before);
    const expected = tf.tidy(() => model.apply(tf.tensor2d(data.val.x, [10, 4])).dataSync());
    expect(predictions).toEqual(expected);
    let s = 0;
    for (let i = 0; i < 20; i++) s += (expected[i] - data.val.y[i]) ** 2;
    expect(mse).toBeCloseTo(s / 20, 12);
  });
});
