import { readFileSync } from "node:fs";
import { plugin as backendCpu } from "@isotropy/backend-cpu";
import { createRegistry, listBackends, selectBackend } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { plugin, VERSION, webgpuBackend } from "../src/index.js";

describe("@isotropy/backend-webgpu plugin", () => {
  it("registers the webgpu entry under its package name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(plugin.name).toBe(pkg.name);
    expect(VERSION).toBe(pkg.version);
    const registry = createRegistry().use(plugin);
    expect(registry.plugins()).toEqual([plugin]);
    expect(registry.list("backends").map((e) => e.name)).toEqual(["webgpu"]);
  });

  it("ranks above wasm (20) in browsers and is never chosen by auto in Node", () => {
    expect(webgpuBackend.priority).toEqual({ browser: 30 });
  });

  it("probes without throwing: available with the adapter, or a reason", async () => {
    const status = await webgpuBackend.probe();
    if (status.available) {
      const caps = status.capabilities as Record<string, unknown>;
      expect(typeof caps.route).toBe("string");
      expect(["core", "compatibility"]).toContain(caps.featureLevel);
      expect(typeof caps.software).toBe("boolean");
      expect(typeof caps.fallback).toBe("boolean");
      // Node has no OffscreenCanvas: tfjs-backend-webgpu cannot read synchronously here.
      expect(caps.syncReads).toBe(false);
    } else {
      expect(status.reason).toMatch(/webgpu|adapter|navigator\.gpu/i);
    }
  });

  it("auto in Node takes another backend even when webgpu is available", async () => {
    const r = createRegistry().use(backendCpu).use(plugin);
    const reports = await listBackends(r, "node");
    expect(reports.find((b) => b.name === "webgpu")?.priority).toBeNull();
    expect((await selectBackend(r, "auto", {}, "node")).name).toBe("cpu");
  });
});
