import { describe, expect, it } from "vitest";
import {
  BackendUnavailableError,
  createRegistry,
  defineEntry,
  definePlugin,
  listBackends,
  selectBackend,
  z,
} from "../src/index.js";

function backend(
  name: string,
  priority: number,
  available: boolean,
  activated: string[],
  probed: string[] = [],
) {
  return defineEntry({
    description: `${name} backend`,
    schema: z.object({}),
    create: async () => {
      activated.push(name);
      return name;
    },
    priority: { node: priority, browser: priority },
    probe: async () => {
      probed.push(name);
      return available
        ? { available: true, capabilities: { simd: true } }
        : { available: false, reason: `${name} cannot load` };
    },
  });
}

describe("backend selection through the registry", () => {
  it("auto picks the available backend of highest priority and activates it", async () => {
    const activated: string[] = [];
    const r = createRegistry().use(
      definePlugin({
        name: "test-backends",
        version: "1.0.0",
        apiVersion: "^1",
        backends: {
          fast: backend("fast", 30, false, activated),
          medium: backend("medium", 20, true, activated),
          slow: backend("slow", 10, true, activated),
        },
      }),
    );
    const chosen = await selectBackend(r, "auto", {}, "node");
    expect(chosen.name).toBe("medium");
    expect(activated).toEqual(["medium"]);
    const list = await listBackends(r, "node");
    expect(list.map((b) => [b.name, b.status.available])).toEqual([
      ["fast", false],
      ["medium", true],
      ["slow", true],
    ]);
    expect(list[0]!.status.reason).toBe("fast cannot load");
  });

  it("a requested but unavailable backend is a typed error naming why and what is available", async () => {
    const r = createRegistry().use(
      definePlugin({
        name: "test-backends",
        version: "1.0.0",
        apiVersion: "^1",
        backends: { gpu: backend("gpu", 30, false, []), cpu: backend("cpu", 1, true, []) },
      }),
    );
    const e = await selectBackend(r, "gpu", {}, "node").catch((x) => x);
    expect(e).toBeInstanceOf(BackendUnavailableError);
    expect(e.message).toContain("gpu cannot load");
    expect(e.message).toContain("Available: cpu");
    await expect(selectBackend(r, "gpx", {}, "node")).rejects.toThrow(/Did you mean "gpu"/);
  });

  it("probes lazily: auto stops at the first available, a named request probes only itself", async () => {
    const probed: string[] = [];
    const r = createRegistry().use(
      definePlugin({
        name: "test-backends",
        version: "1.0.0",
        apiVersion: "^1",
        backends: {
          costly: backend("costly", 5, true, [], probed),
          fast: backend("fast", 30, false, [], probed),
          medium: backend("medium", 20, true, [], probed),
        },
      }),
    );
    expect((await selectBackend(r, "auto", {}, "node")).name).toBe("medium");
    expect(probed).toEqual(["fast", "medium"]);
    probed.length = 0;
    expect((await selectBackend(r, "medium", {}, "node")).name).toBe("medium");
    expect(probed).toEqual(["medium"]);
  });
});
