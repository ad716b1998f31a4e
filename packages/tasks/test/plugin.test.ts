import { readFileSync } from "node:fs";
import { createRegistry } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  inertia,
  o5Synthetic,
  particleInteraction,
  plugin,
  type Task,
  VERSION,
} from "../src/index.js";

describe("@isotropy/tasks plugin", () => {
  it("registers in a fresh registry under its package name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(plugin.name).toBe(pkg.name);
    expect(VERSION).toBe(pkg.version);
    const registry = createRegistry().use(plugin);
    expect(registry.plugins()).toEqual([plugin]);
  });

  it("creates each classic task by name, short or qualified", () => {
    const registry = createRegistry().use(plugin);
    expect(registry.create<Task>("tasks", "inertia")).toBe(inertia);
    expect(registry.create<Task>("tasks", "o5-synthetic")).toBe(o5Synthetic);
    expect(registry.create<Task>("tasks", "@isotropy/tasks/particle-interaction")).toBe(
      particleInteraction,
    );
    expect(() => registry.create("tasks", "inertai")).toThrow(/Did you mean "inertia"/);
  });

  it("lists each task's group and reps", () => {
    expect(plugin.tasks.inertia).toMatchObject({
      group: "O(3)",
      repIn: "5*Scalar + 5*V",
      repOut: "T(2)",
    });
    expect(plugin.tasks["o5-synthetic"]).toMatchObject({
      group: "O(5)",
      repIn: "2*V",
      repOut: "Scalar",
    });
    expect(plugin.tasks["particle-interaction"]).toMatchObject({
      group: "O(1,3)",
      repIn: "4*V",
      repOut: "Scalar",
    });
  });
});
