import { describe, expect, it } from "vitest";
import { describeAdapter, findAdapter, type GpuRoute } from "../src/index.js";

const adapter = (info: Record<string, unknown>) => ({
  info,
  features: { has: () => false },
  limits: {},
  requestDevice: async () => ({ lost: new Promise<never>(() => {}), destroy: () => {} }),
});

const route = (
  name: string,
  requestAdapter: GpuRoute["gpu"]["requestAdapter"],
  options: Record<string, unknown> = {},
): GpuRoute => ({ name, gpu: { requestAdapter }, options });

describe("finding an adapter", () => {
  it("a route that never answers times out instead of hanging, and the next route is tried", async () => {
    const hangs = route("hangs", () => new Promise(() => {}));
    const none = route("none", async () => null, { featureLevel: "compatibility" });
    const t0 = Date.now();
    const found = await findAdapter([hangs, none], 50);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(found.ok).toBe(false);
    if (!found.ok) {
      expect(found.reason).toMatch(/hangs: requestAdapter timed out after 50 ms/);
      expect(found.reason).toMatch(/none featureLevel=compatibility: no adapter/);
    }
  });

  it("a route that throws is reported with its message; a later route can still succeed", async () => {
    const throws = route("throws", async () => {
      throw new Error("driver said no");
    });
    const ok = route("ok", async () => adapter({ vendor: "acme", device: "X1" }));
    const found = await findAdapter([throws, ok], 1000);
    expect(found.ok).toBe(true);
    if (found.ok) {
      expect(found.route.name).toBe("ok");
      expect(found.adapter).toMatchObject({ vendor: "acme", device: "X1", software: false });
    }
  });

  it("tells software and fallback adapters from hardware ones", () => {
    const r = route("r", async () => null, { featureLevel: "compatibility" });
    const llvmpipe = describeAdapter(adapter({ device: "llvmpipe-llvm-15-0-6-256-bits-" }), r);
    expect(llvmpipe).toMatchObject({
      software: true,
      fallback: false,
      featureLevel: "compatibility",
    });
    expect(describeAdapter(adapter({ description: "SwiftShader Device" }), r).software).toBe(true);
    expect(describeAdapter(adapter({ isFallbackAdapter: true }), r)).toMatchObject({
      software: true,
      fallback: true,
    });
    const hw = describeAdapter(adapter({ vendor: "nvidia", architecture: "ampere" }), {
      ...r,
      options: {},
    });
    expect(hw).toMatchObject({ software: false, fallback: false, featureLevel: "core" });
  });
});
