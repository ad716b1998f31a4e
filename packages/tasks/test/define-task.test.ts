import { createRegistry, defineEntry, definePlugin, z } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { blockScales, defineTask, plugin, rmsScale, type Task } from "../src/index.js";

// The README's example of a third-party task plugin.
const norm3 = defineTask({
  name: "norm3",
  description: "|x| of a 3-vector",
  groupName: "O(3)",
  repIn: "V",
  repOut: "Scalar",
  inputDim: 3,
  outputDim: 1,
  compatibleGroups: ["O(3)", "SO(3)"],
  sampleInputs: (source, n) => source.normals(3 * n),
  evaluate(x, n, out) {
    for (let r = 0; r < n; r++) out[r] = Math.hypot(x[3 * r], x[3 * r + 1], x[3 * r + 2]);
  },
  standardize: (x, _y, n) => ({
    inputScale: blockScales(3, [[0, 3, rmsScale(x, n, 3, 0, 3)]]),
    outputMean: Float32Array.of(0),
    outputScale: Float32Array.of(1),
  }),
});

const myTasks = definePlugin({
  name: "@me/isotropy-norm3",
  version: "1.0.0",
  apiVersion: "^1",
  tasks: {
    norm3: defineEntry({
      description: norm3.description,
      schema: z.object({}),
      create: (): Task => norm3,
      group: norm3.groupName,
      repIn: norm3.repIn,
      repOut: norm3.repOut,
    }),
  },
});

describe("defineTask: a task from a third-party plugin", () => {
  it("registers beside the built-in tasks and gets the pool, splits and checks", () => {
    const registry = createRegistry().use(plugin).use(myTasks);
    const task = registry.create<Task>("tasks", "norm3");
    const data = task.generate({ nTrain: 20, nVal: 5, nTest: 5, poolSize: 40, seed: 2 });
    expect([data.train.n, data.val.n, data.test.n]).toEqual([20, 5, 5]);
    expect(data.train.y[0]).toBeCloseTo(
      Math.hypot(data.train.x[0] as number, data.train.x[1] as number, data.train.x[2] as number),
      6,
    );
    expect(() => task.target(new Float32Array(4), 1)).toThrow(/expected shape \[1, 3\]/);
    expect(registry.list("tasks").map((e) => e.name)).toContain("norm3");
  });
});
