import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { afterAll, describe, expect, it } from "vitest";
import { evaluate, type TrainData, type TrainOptions, train } from "../src/index.js";
import { train as trainWithFiles } from "../src/node.js";
import { Linear, linearData } from "./helpers.js";

await tf.setBackend("cpu");

const model = new Linear(4, 2);
afterAll(() => model.dispose());
const good = linearData(20, 10);

async function rejection(data: TrainData, options: TrainOptions = {}, m = model) {
  let events = 0;
  const before = tf.memory().numTensors;
  const error = await train(m, data, { epochs: 2, ...options, onEvent: () => void events++ }).catch(
    (e: unknown) => e,
  );
  expect(events, "no training before the check").toBe(0);
  expect(tf.memory().numTensors).toBe(before);
  return error as Error;
}

describe("bad input is refused before training", () => {
  it("wrong shapes: a ShapeError naming expected and given", async () => {
    const e = await rejection({ ...good, train: { ...good.train, x: good.train.x.subarray(1) } });
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("train.x: expected shape [20, 4] (80 numbers), got 79 numbers.");
    const f = await rejection({ ...good, outputDim: 3 });
    expect(f).toBeInstanceOf(ShapeError);
    expect(f.message).toMatch(/^train\.y: expected shape \[20, 3\]/);
  });

  it("non-finite values: an InvalidArgumentError naming the first bad index", async () => {
    const y = good.train.y.slice();
    y[5] = Number.NaN;
    y[7] = Number.POSITIVE_INFINITY;
    const e = await rejection({ ...good, train: { ...good.train, y } });
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toMatch(/^train\.y\[5\] is NaN \(sample 2, feature 1\)/);
    const x = good.val.x.slice();
    x[13] = Number.NEGATIVE_INFINITY;
    const f = await rejection({ ...good, val: { ...good.val, x } });
    expect(f.message).toMatch(/^val\.x\[13\] is -Infinity \(sample 3, feature 1\)/);
  });

  it("wrong kinds: arrays that are not Float32Array, missing splits, bad n", async () => {
    const asF64 = {
      ...good.train,
      x: Float64Array.from(good.train.x),
    } as unknown as TrainData["train"];
    expect((await rejection({ ...good, train: asF64 })).message).toMatch(
      /train\.x must be a Float32Array, got Float64Array/,
    );
    const noVal = { ...good, val: undefined } as unknown as TrainData;
    expect((await rejection(noVal)).message).toMatch(/val is missing/);
    expect((await rejection({ ...good, train: { ...good.train, n: 0 } })).message).toMatch(
      /train\.n must be a positive integer/,
    );
    expect(await rejection({ ...good, inputDim: 0 })).toBeInstanceOf(InvalidArgumentError);
  });

  it("options out of range", async () => {
    const cases: [TrainOptions, RegExp][] = [
      [{ epochs: 0 }, /epochs must be an integer from 1/],
      [{ epochs: 1.5 }, /epochs must be an integer/],
      [{ batchSize: 0 }, /batchSize must be an integer from 1/],
      [{ batchSize: Number.NaN }, /batchSize/],
      [{ lr: -1 }, /lr must be a positive finite number/],
      [{ lr: Number.POSITIVE_INFINITY }, /lr must be/],
      [{ seed: Number.NaN }, /seed must be/],
      [{ schedule: "linear" as "step" }, /Unknown schedule "linear"/],
      [{ earlyStopping: { patience: 0 } }, /earlyStopping\.patience/],
      [{ checkpointEvery: 0 }, /checkpointEvery/],
      [{ resume: true }, /resume needs a checkpoint/],
    ];
    for (const [options, message] of cases) {
      const e = await rejection(good, options);
      expect(e, JSON.stringify(options)).toBeInstanceOf(InvalidArgumentError);
      expect(e.message).toMatch(message);
    }
    await expect(
      trainWithFiles(model, good, { epochs: 1, sinks: {}, metricsFile: "/tmp/x.jsonl" }),
    ).rejects.toThrow(/either sinks or checkpointDir/);
  });

  it("a model whose output has the wrong shape: a ShapeError, and no tensors left behind", async () => {
    const wide = new Linear(4, 3);
    const before = tf.memory().numTensors;
    const e = (await train(wide, good, { epochs: 1 }).catch((x: unknown) => x)) as Error;
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe('Output of model "linear": expected shape [1, 2], got [1, 3].');
    expect(tf.memory().numTensors).toBe(before);
    await expect(evaluate(wide, good.val)).rejects.toThrow(ShapeError);
    wide.dispose();
  });

  it("a model without weights, or with duplicate names", async () => {
    const empty = { name: "empty", weights: () => [], apply: (x: tf.Tensor2D) => x };
    expect((await rejection(good, {}, empty as unknown as Linear)).message).toMatch(/no weights/);
    const twice = {
      name: "twice",
      weights: () => [...model.weights(), model.weights()[0]],
      apply: (x: tf.Tensor2D) => model.apply(x),
    };
    expect((await rejection(good, {}, twice as unknown as Linear)).message).toMatch(
      /two weights named "linear\/w"/,
    );
  });

  it("cuts a batch size above N to N", async () => {
    const m = new Linear(4, 2);
    const r = await train(m, good, { epochs: 2, batchSize: 500 });
    expect(r.stepsRun).toBe(2);
    m.dispose();
  });
});
