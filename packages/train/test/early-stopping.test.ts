import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { afterEach, describe, expect, it } from "vitest";
import { evaluate, type TrainData, train } from "../src/index.js";
import { Linear, snapshotWeights } from "./helpers.js";

await tf.setBackend("cpu");

// Training pulls the slope towards 1 (y = x), validation rewards 0.3 (y = 0.3 x): starting from
// 0, the validation error falls, bottoms out mid-run and rises again.
function conflictingData(): TrainData {
  const n = 64;
  const x = Float32Array.from({ length: n }, (_, i) => (i - n / 2) / 16);
  return {
    train: { x, y: x.slice(), n },
    val: { x, y: x.map((v) => 0.3 * v), n },
    inputDim: 1,
    outputDim: 1,
  };
}

const models: Linear[] = [];
afterEach(() => {
  for (const m of models.splice(0)) m.dispose();
});

function zeroModel(): Linear {
  const m = new Linear(1, 1, 1, "slope");
  m.w.assign(tf.zeros([1, 1]));
  models.push(m);
  return m;
}

describe("early stopping", () => {
  it("restores the weights of the best validation epoch", async () => {
    const data = conflictingData();
    const model = zeroModel();
    const atEpoch = new Map<number, Map<string, Float32Array>>();
    const result = await train(model, data, {
      epochs: 40,
      lr: 0.02,
      onEvent: (e) => {
        if (e.type === "epoch-end") atEpoch.set(e.epoch, snapshotWeights(model));
      },
    });
    const vals = result.history.map((h) => h.valMSE);
    const argmin = vals.indexOf(Math.min(...vals)) + 1;
    expect(result.bestEpoch).toBe(argmin);
    expect(result.bestEpoch).toBeGreaterThan(3);
    expect(result.bestEpoch).toBeLessThan(35);
    expect(vals[39]).toBeGreaterThan(2 * result.bestValMSE);
    expect(snapshotWeights(model)).toEqual(atEpoch.get(result.bestEpoch));
    expect((await evaluate(model, data.val)).mse).toBe(result.bestValMSE);
    expect(result.weights).toBe("best");
    expect(result.stoppedEarly).toBe(false);
  });

  it("keeps the last weights when turned off", async () => {
    const data = conflictingData();
    const model = zeroModel();
    const result = await train(model, data, { epochs: 40, lr: 0.02, earlyStopping: false });
    expect(result.weights).toBe("last");
    expect((await evaluate(model, data.val)).mse).toBe(result.history[39].valMSE);
    expect(result.bestValMSE).toBeLessThan(result.history[39].valMSE);
  });

  it("stops after `patience` epochs without improvement", async () => {
    const data = conflictingData();
    const model = zeroModel();
    const result = await train(model, data, {
      epochs: 40,
      lr: 0.02,
      earlyStopping: { patience: 3 },
    });
    expect(result.stoppedEarly).toBe(true);
    expect(result.epochsRun).toBe(result.bestEpoch + 3);
    expect(result.history).toHaveLength(result.bestEpoch + 3);
    expect(result.stepsRun).toBe(result.epochsRun);
    expect((await evaluate(model, data.val)).mse).toBe(result.bestValMSE);
  });
});
