import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  AmbiguousNameError,
  createRegistry,
  DuplicateEntryError,
  defineEntry,
  definePlugin,
  IncompatiblePluginError,
  InvalidArgumentError,
  InvalidPluginError,
  IsotropyError,
  PLUGIN_API_VERSION,
  type Plugin,
  UnknownNameError,
} from "../src/index.js";

const cyclic = defineEntry({
  description: "Cyclic group of order n",
  schema: z.object({ n: z.number().int().positive() }),
  create: ({ n }) => ({ order: n }),
});

const groupsPlugin = definePlugin({
  name: "@test/groups",
  version: "1.0.0",
  apiVersion: "^1",
  groups: {
    Z: cyclic,
    SO: defineEntry({
      description: "Special orthogonal group",
      schema: z.object({ n: z.number().int().min(1) }),
      create: ({ n }) => ({ dim: n }),
    }),
  },
});

function caught(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error("expected a throw");
}

describe("registry: shape validation", () => {
  it("refuses a plugin without a name or with a malformed entry, naming the field", () => {
    const r = createRegistry();
    expect(() => r.use({ version: "1", apiVersion: "^1" } as unknown as Plugin)).toThrow(
      InvalidPluginError,
    );
    const bad = {
      name: "bad",
      version: "1.0.0",
      apiVersion: "^1",
      groups: { X: { description: "x", schema: z.object({}) } },
    } as unknown as Plugin;
    const e = caught(() => r.use(bad)) as InvalidPluginError;
    expect(e).toBeInstanceOf(InvalidPluginError);
    expect(e.code).toBe("E_INVALID_PLUGIN");
    expect(e.message).toContain("groups.X.create");
  });

  it("refuses a multi-line description and an entry name containing '/'", () => {
    const r = createRegistry();
    const entry = { ...cyclic, description: "two\nlines" };
    expect(() =>
      r.use({ name: "p", version: "1.0.0", apiVersion: "^1", groups: { Z: entry } }),
    ).toThrow(/one line/);
    expect(() =>
      r.use({ name: "p", version: "1.0.0", apiVersion: "^1", groups: { "a/b": cyclic } }),
    ).toThrow(/no '\/'/);
  });

  it("refuses a schema that is not a Standard Schema", () => {
    const r = createRegistry();
    const entry = { ...cyclic, schema: { parse: () => 1 } };
    expect(() =>
      r.use({ name: "p", version: "1.0.0", apiVersion: "^1", groups: { Z: entry } } as Plugin),
    ).toThrow(/Standard Schema/);
  });
});

describe("registry: apiVersion", () => {
  it("refuses an incompatible plugin with both versions in the message", () => {
    const r = createRegistry();
    const e = caught(() =>
      r.use({ ...groupsPlugin, name: "@test/future", apiVersion: "^2.0.0" }),
    ) as IncompatiblePluginError;
    expect(e).toBeInstanceOf(IncompatiblePluginError);
    expect(e.message).toContain("^2.0.0");
    expect(e.message).toContain(PLUGIN_API_VERSION);
    expect(r.plugins()).toHaveLength(0);
  });

  it("refuses an apiVersion that is not a range", () => {
    expect(() =>
      createRegistry().use({ name: "p", version: "1.0.0", apiVersion: "banana" }),
    ).toThrow(/not a semver range/);
  });
});

describe("registry: duplicates and idempotence", () => {
  it("is idempotent for the same plugin object", () => {
    const r = createRegistry().use(groupsPlugin).use(groupsPlugin);
    expect(r.list("groups")).toHaveLength(2);
    expect(r.plugins()).toHaveLength(1);
  });

  it("refuses a duplicate entry name, naming both plugins, and leaves no trace", () => {
    const r = createRegistry().use(groupsPlugin);
    const other = definePlugin({
      name: "@other/groups",
      version: "0.1.0",
      apiVersion: "^1",
      groups: { Q8: cyclic, Z: cyclic },
    });
    const e = caught(() => r.use(other)) as DuplicateEntryError;
    expect(e).toBeInstanceOf(DuplicateEntryError);
    expect(e.message).toContain("@test/groups");
    expect(e.message).toContain("@other/groups");
    expect(r.has("groups", "Q8")).toBe(false);
  });

  it("refuses a second copy of a plugin with the same name", () => {
    const r = createRegistry().use(groupsPlugin);
    expect(() => r.use({ ...groupsPlugin, version: "1.0.1" })).toThrow(/already registered/);
  });
});

describe("registry: resolution", () => {
  it("resolves short names and plugin/name", () => {
    const r = createRegistry().use(groupsPlugin);
    expect(r.get("groups", "Z").qualifiedName).toBe("@test/groups/Z");
    expect(r.get("groups", "@test/groups/SO").name).toBe("SO");
    expect(r.create("groups", "Z", { n: 4 })).toEqual({ order: 4 });
  });

  it("reports an ambiguous short name with the qualified candidates", () => {
    const r = createRegistry().use(groupsPlugin);
    const twin = definePlugin({
      name: "twin",
      version: "1.0.0",
      apiVersion: "^1",
      groups: { Z: cyclic },
    });
    r.use(twin, { onConflict: "coexist" });
    const e = caught(() => r.get("groups", "Z")) as AmbiguousNameError;
    expect(e).toBeInstanceOf(AmbiguousNameError);
    expect(e.candidates).toEqual(["@test/groups/Z", "twin/Z"]);
    expect(r.get("groups", "twin/Z").plugin).toBe("twin");
    expect(r.get("groups", "SO").plugin).toBe("@test/groups");
  });

  it("suggests the nearest names for an unknown one", () => {
    const r = createRegistry().use(groupsPlugin);
    const e = caught(() => r.get("groups", "So")) as UnknownNameError;
    expect(e).toBeInstanceOf(UnknownNameError);
    expect(e).toBeInstanceOf(IsotropyError);
    expect(e.code).toBe("E_UNKNOWN_NAME");
    expect(e.suggestions).toContain("SO");
    expect(e.message).toMatch(/Did you mean "SO"/);
  });

  it("validates parameters with the entry's schema", () => {
    const r = createRegistry().use(groupsPlugin);
    const e = caught(() => r.create("groups", "Z", { n: -1 })) as InvalidArgumentError;
    expect(e).toBeInstanceOf(InvalidArgumentError);
    expect(e.message).toContain("n:");
  });

  it("lists entries with plugin, description and schema", () => {
    const r = createRegistry().use(groupsPlugin);
    const list = r.list("groups");
    expect(list.map((e) => e.name)).toEqual(["SO", "Z"]);
    expect(list[1]!.plugin).toBe("@test/groups");
    expect(list[1]!.description).toBe("Cyclic group of order n");
    expect(list[1]!.schema).toBe(cyclic.schema);
    expect(r.list("tasks")).toEqual([]);
  });
});

describe("registry: isolation", () => {
  it("keeps separate registries separate", () => {
    const a = createRegistry().use(groupsPlugin);
    const b = createRegistry();
    expect(a.has("groups", "Z")).toBe(true);
    expect(b.has("groups", "Z")).toBe(false);
    expect(() => b.get("groups", "Z")).toThrow(/No groups are registered/);
  });
});
