import { createRegistry, selectBackend } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { plugin } from "../src/index.js";

describe("cpu backend entry", () => {
  it("probes available and becomes the current tfjs backend, computing correctly", async () => {
    const r = createRegistry().use(plugin);
    const chosen = await selectBackend(r, "cpu", {}, "node");
    expect(chosen).toMatchObject({ name: "cpu", tfName: "cpu", status: { available: true } });
    expect(tf.getBackend()).toBe("cpu");
    const y = tf.matMul(
      tf.tensor2d([
        [1, 2],
        [3, 4],
      ]),
      tf.tensor2d([[5], [6]]),
    );
    expect(Array.from(await y.data())).toEqual([17, 39]);
  });
});
