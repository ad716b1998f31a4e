import { readFileSync } from "node:fs";
import { createRegistry } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { beforeAll, describe, expect, it } from "vitest";
import { EMLP, EquivariantLinear, MLP, type Module, plugin, VERSION } from "../src/index.js";
import { useCpu } from "./helpers.js";

beforeAll(useCpu);

describe("@isotropy/layers plugin", () => {
  it("registers in a fresh registry under its package name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(plugin.name).toBe(pkg.name);
    expect(VERSION).toBe(pkg.version);
    const registry = createRegistry().use(plugin);
    expect(registry.plugins()).toEqual([plugin]);
    expect(registry.list("layers").map((e) => e.name)).toEqual([
      "BiLinear",
      "EMLP",
      "EquivariantLinear",
      "GatedNonlinearity",
      "MLP",
    ]);
  });

  it("creates models from parameters, reps given as text", () => {
    const registry = createRegistry().use(plugin);
    const g = O(3);
    const emlp = registry.create<Module>("layers", "EMLP", {
      group: g,
      repIn: "5*Scalar+5*V",
      repOut: "T(2)",
      channels: 32,
      layers: 1,
      seed: 3,
    });
    expect(emlp).toBeInstanceOf(EMLP);
    expect(emlp.inputSize).toBe(20);
    expect(emlp.outputSize).toBe(9);
    const lin = registry.create<Module>("layers", "EquivariantLinear", {
      group: g,
      repIn: "V",
      repOut: "V",
    });
    expect(lin).toBeInstanceOf(EquivariantLinear);
    const mlp = registry.create<Module>("layers", "MLP", {
      inputSize: 20,
      outputSize: 9,
      channels: 8,
    });
    expect(mlp).toBeInstanceOf(MLP);
    for (const m of [emlp, lin, mlp]) m.dispose?.();
  });
});
