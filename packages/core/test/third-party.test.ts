// A plugin written the way a third party would: only the package's public types and a schema
// library of its own choosing (here valibot-shaped via the Standard Schema interface by hand).
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { describe, expect, it } from "vitest";
import { createRegistry, type Entry, type Plugin } from "../src/index.js";

function numberTuple(length: number): StandardSchemaV1<unknown, number[]> {
  return {
    "~standard": {
      version: 1,
      vendor: "third-party",
      validate(value) {
        if (Array.isArray(value) && value.length === length && value.every(Number.isFinite)) {
          return { value: value as number[] };
        }
        return { issues: [{ message: `expected ${length} finite numbers` }] };
      },
    },
  };
}

const quaternionGroup: Entry<StandardSchemaV1<unknown, number[]>, { order: number }> = {
  description: "The quaternion group Q8",
  schema: numberTuple(0),
  create: () => ({ order: 8 }),
};

const plugin: Plugin = {
  name: "@someone/isotropy-quaternions",
  version: "1.2.0",
  apiVersion: "^1",
  groups: { Q8: quaternionGroup },
};

describe("third-party plugin", () => {
  it("registers and resolves through the public contract only", () => {
    const r = createRegistry().use(plugin);
    expect(r.create("groups", "Q8", [])).toEqual({ order: 8 });
    expect(r.get("groups", "@someone/isotropy-quaternions/Q8").description).toContain("Q8");
    expect(() => r.create("groups", "Q8", [1])).toThrow(/expected 0 finite numbers/);
  });
});
