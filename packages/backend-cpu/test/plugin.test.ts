import { readFileSync } from "node:fs";
import { createRegistry } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { plugin, VERSION } from "../src/index.js";

describe("@isotropy/backend-cpu plugin", () => {
  it("registers in a fresh registry under its package name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(plugin.name).toBe(pkg.name);
    expect(VERSION).toBe(pkg.version);
    const registry = createRegistry().use(plugin);
    expect(registry.plugins()).toEqual([plugin]);
  });
});
