import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { plugin as cpuPlugin } from "@isotropy/backend-cpu";
import { createRegistry, definePlugin, selectBackend } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { createNodeBackendEntry, loadAddon, registerNodeBackend } from "../src/index.js";

describe("the addon missing", () => {
  it("reports the recorded build error and auto falls back", async () => {
    const root = mkdtempSync(join(tmpdir(), "isotropy-node-"));
    mkdirSync(join(root, "build"));
    writeFileSync(join(root, "build", "addon-error.txt"), "g++: error: unrecognized option\n");
    const entry = createNodeBackendEntry(root);
    const status = await entry.probe();
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/did not build: g\+\+: error: unrecognized option/);
    await expect(registerNodeBackend(root)).rejects.toThrow(/unrecognized option/);

    const registry = createRegistry()
      .use(cpuPlugin)
      .use(
        definePlugin({
          name: "fake-node",
          version: "0.0.0",
          apiVersion: "^1",
          description: "node backend without its addon",
          backends: { node: entry },
        }),
      );
    const chosen = await selectBackend(registry, "auto", {}, "node");
    expect(chosen.name).toBe("cpu");
    await expect(selectBackend(registry, "node", {}, "node")).rejects.toThrow(
      /unrecognized option/,
    );
  });

  it("says how to build when nothing was recorded", () => {
    const root = mkdtempSync(join(tmpdir(), "isotropy-node-"));
    const state = loadAddon(root);
    expect(state.ok).toBe(false);
    if (!state.ok) expect(state.reason).toMatch(/not built/);
  });

  it("reports a file that is not an addon", () => {
    const root = mkdtempSync(join(tmpdir(), "isotropy-node-"));
    mkdirSync(join(root, "build", "Release"), { recursive: true });
    writeFileSync(join(root, "build", "Release", "isotropy_backend_node.node"), "not a library");
    const state = loadAddon(root);
    expect(state.ok).toBe(false);
    if (!state.ok) expect(state.reason).toMatch(/does not load/);
  });
});
