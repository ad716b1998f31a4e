import { createRegistry, listBackends, selectBackend } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it } from "vitest";
import { plugin } from "../src/index.js";

describe("wasm backend entry", () => {
  it("reports SIMD, resolves its .wasm files in Node without configuration and computes correctly", async () => {
    const r = createRegistry().use(plugin);
    const [report] = await listBackends(r, "node");
    expect(report).toMatchObject({
      name: "wasm",
      status: { available: true, capabilities: { simd: true } },
    });
    const chosen = await selectBackend(r, "auto", {}, "node");
    expect(chosen.tfName).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
    const a = tf.tensor2d([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const y = tf.matMul(a, a, false, true);
    expect(Array.from(await y.data())).toEqual([14, 32, 32, 77]);
  });
});
