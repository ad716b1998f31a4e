import { createRegistry, definePlugin } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { breakingTaskEntries } from "../src/breaking/index.js";

describe("breakingTaskEntries", () => {
  it("register as task entries and create tasks with defaults", () => {
    const registry = createRegistry();
    registry.use(
      definePlugin({
        name: "test-breaking",
        version: "0.0.0",
        apiVersion: "^1",
        tasks: breakingTaskEntries,
      }),
    );
    const names = Object.keys(breakingTaskEntries);
    expect(names).toEqual(["polygon-deform", "max-cut", "ising", "set-decoding"]);
    for (const name of names) {
      const task = breakingTaskEntries[name as keyof typeof breakingTaskEntries].create({});
      expect(task.name).toBe(name);
    }
  });
});
