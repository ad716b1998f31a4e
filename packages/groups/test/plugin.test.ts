import { readFileSync } from "node:fs";
import { createRegistry, InvalidArgumentError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  A,
  C,
  Cube,
  D,
  directProduct,
  Embed,
  GL,
  type Group,
  Lorentz,
  O,
  plugin,
  RubiksCube,
  S,
  Scaling,
  SL,
  SO,
  SOplus,
  Sp,
  SU,
  Trivial,
  U,
  VERSION,
  Z,
  ZksZnxZn,
} from "../src/index.js";
import { sameGenerators } from "./helpers.js";

describe("@isotropy/groups plugin", () => {
  it("registers in a fresh registry under its package name and version", () => {
    const pkg = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8"));
    expect(plugin.name).toBe(pkg.name);
    expect(VERSION).toBe(pkg.version);
    const registry = createRegistry().use(plugin);
    expect(registry.plugins()).toEqual([plugin]);
  });

  it("every entry has a one-line description", () => {
    const names = Object.keys(plugin.groups);
    expect(names).toEqual(
      expect.arrayContaining(
        [
          "Trivial",
          "Z",
          "C",
          "D",
          "S",
          "A",
          "SO",
          "O",
          "SO+",
          "Lorentz",
          "Sp",
          "SL",
          "GL",
          "Scaling",
        ].concat(["Cube", "RubiksCube", "ZksZnxZn", "Embed", "U", "SU", "DirectProduct"]),
      ),
    );
    for (const entry of Object.values(plugin.groups)) {
      expect(entry.description.length).toBeGreaterThan(10);
      expect(entry.description).not.toMatch(/\n/);
    }
  });

  const registry = createRegistry().use(plugin);
  const so2 = SO(2);
  const cases: [string, unknown[], Group][] = [
    ["Trivial", [3], Trivial(3)],
    ["Z", [5], Z(5)],
    ["C", [4], C(4)],
    ["D", [6], D(6)],
    ["S", [5], S(5)],
    ["A", [4], A(4)],
    ["SO", [3], SO(3)],
    ["SO", [1, 3], SO(1, 3)],
    ["O", [3], O(3)],
    ["O", [1, 3], O(1, 3)],
    ["SO+", [1, 3], SOplus(1, 3)],
    ["Lorentz", [], Lorentz()],
    ["Sp", [2], Sp(2)],
    ["SL", [3], SL(3)],
    ["GL", [2], GL(2)],
    ["Scaling", [4], Scaling(4)],
    ["U", [2], U(2)],
    ["SU", [3], SU(3)],
    ["Cube", [], Cube()],
    ["RubiksCube", [], RubiksCube()],
    ["ZksZnxZn", [4, 3], ZksZnxZn(4, 3)],
    ["Embed", [so2, 3, { start: 0, stop: 2 }], Embed(so2, 3, { start: 0, stop: 2 })],
    ["DirectProduct", [SO(3), S(3)], directProduct(SO(3), S(3))],
  ];

  it.each(cases)("create('groups', %s, %j) equals the factory", (name, args, expected) => {
    const g = registry.create<Group>("groups", name, args);
    expect(g.name).toBe(expected.name);
    expect(g.d).toBe(expected.d);
    expect(sameGenerators(g, expected)).toBe(true);
  });

  it("Lorentz is O(1,3) by name as well", () => {
    expect(registry.create<Group>("groups", "Lorentz", []).name).toBe("O(1,3)");
    expect(registry.create<Group>("groups", "@isotropy/groups/SO", [3]).name).toBe("SO(3)");
  });

  it("schema errors are typed and say what was expected", () => {
    const bad = (name: string, args: unknown) => () => registry.create("groups", name, args);
    expect(bad("SO", [0])).toThrow(InvalidArgumentError);
    expect(bad("SO", [0])).toThrow(/n must be >= 1/);
    expect(bad("SO", [2.5])).toThrow(/must be an integer/);
    expect(bad("SO", [1, 2, 3])).toThrow(/expected \[n\] or \[p, q\]/);
    expect(bad("SO", [])).toThrow(/expected \[n\] or \[p, q\]/);
    expect(bad("SO", 3)).toThrow(/expected \[n\] or \[p, q\]/);
    expect(bad("S", ["5"])).toThrow(/n must be a number/);
    expect(bad("S", [5, 6])).toThrow(/expected one argument \[n\]/);
    expect(bad("O", [1000])).toThrow(/n must be <= 64/);
    expect(bad("Lorentz", [1])).toThrow(/expects no arguments/);
    expect(bad("ZksZnxZn", [3, 3])).toThrow(/k must be 2 or 4/);
    expect(bad("Embed", [5, 3, { start: 0, stop: 2 }])).toThrow(/expected a group/);
    expect(bad("Embed", [so2, 3, { start: 0 }])).toThrow(/stop/);
    expect(bad("Embed", [so2, 3, { start: 1, stop: 2 }])).toThrow(/slice has 1 coordinates/);
    expect(bad("DirectProduct", [])).toThrow(/at least one group/);
  });
});
