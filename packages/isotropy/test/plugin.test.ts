import { readFileSync } from "node:fs";
import { createRegistry, defaultRegistry } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { builtinPlugins, registerBuiltins, VERSION } from "../src/index.js";

describe("isotropy (batteries included)", () => {
  it("fills the default registry with every built-in plugin on import", () => {
    const names = defaultRegistry.plugins().map((p) => p.name);
    for (const p of builtinPlugins) expect(names).toContain(p.name);
    expect(builtinPlugins.map((p) => p.name)).toContain("@isotropy/groups");
  });

  it("registers into a separate registry too, idempotently", () => {
    const r = registerBuiltins(registerBuiltins(createRegistry()));
    expect(r.plugins()).toHaveLength(builtinPlugins.length);
  });

  it("reports the version of its package.json", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(VERSION).toBe(pkg.version);
  });
});
