import { readFileSync } from "node:fs";
import { createRegistry, listBackends, selectBackend } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { describe, expect, it, vi } from "vitest";
import { plugin, VERSION } from "../src/index.js";

describe("@isotropy/backend-node plugin", () => {
  it("registers in a fresh registry under its package name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(plugin.name).toBe(pkg.name);
    expect(VERSION).toBe(pkg.version);
    const registry = createRegistry().use(plugin);
    expect(registry.plugins()).toEqual([plugin]);
  });

  it("offers the node backend, available, and selects it with a thread count", async () => {
    const registry = createRegistry().use(plugin);
    const [report] = await listBackends(registry, "node");
    expect(report?.name).toBe("node");
    expect(report?.priority).toBe(30);
    // Fails loudly when the addon did not build.
    expect(report?.status.reason).toBeUndefined();
    expect(report?.status.available).toBe(true);
    expect(["openblas", "bundled"]).toContain(report?.status.capabilities?.blas);
    const chosen = await selectBackend(registry, "auto", { threads: 1 }, "node");
    expect(chosen.tfName).toBe("node");
    expect(tf.getBackend()).toBe("node");
    const [after] = await listBackends(registry, "node");
    expect(after?.status.capabilities?.threads).toBe(1);
  });

  it("does not print the cpu backend's advice to install tfjs-node", async () => {
    const registry = createRegistry().use(plugin);
    await selectBackend(registry, "node", { threads: 1 }, "node");
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      tf.tidy(() => tf.add(tf.tensor1d([1, 2]), 1).dataSync());
      expect(warn.mock.calls.flat().join(" ")).not.toMatch(/tfjs-node/);
    } finally {
      warn.mockRestore();
    }
  });

  it("is not offered in browsers", async () => {
    const [report] = await listBackends(createRegistry().use(plugin), "browser");
    expect(report?.priority).toBeNull();
  });
});
