import { execFileSync, spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { builtinPlugins, createRegistry, registerBuiltins } from "isotropy";
import { describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { capture } from "./helpers.js";

describe("isotropy list", () => {
  it("prints one JSON object keyed by kind on the last stdout line", async () => {
    const io = capture();
    const code = await run(["list", "--json"], registerBuiltins(createRegistry()), io);
    expect(code).toBe(0);
    const last = io.stdout.trim().split("\n").at(-1)!;
    const table = JSON.parse(last);
    expect(Object.keys(table)).toEqual([
      "groups",
      "reps",
      "layers",
      "strategies",
      "tasks",
      "backends",
    ]);
    for (const entries of Object.values(table) as { name: string; plugin: string }[][]) {
      for (const e of entries)
        expect(Object.keys(e).slice(0, 3)).toEqual(["name", "plugin", "description"]);
    }
    const backends = table.backends as { name: string; available: boolean }[];
    expect(backends.find((b) => b.name === "cpu")?.available).toBe(true);
    expect(backends.find((b) => b.name === "wasm")?.available).toBe(true);
  });

  it("lists one kind and refuses an unknown kind with a suggestion and exit code 2", async () => {
    const io = capture();
    expect(await run(["list", "groups", "--json"], createRegistry(), io)).toBe(0);
    expect(Object.keys(JSON.parse(io.stdout))).toEqual(["groups"]);
    const bad = capture();
    expect(await run(["list", "grups"], createRegistry(), bad)).toBe(2);
    expect(bad.stderr).toMatch(/Did you mean "groups"/);
  });

  it("prints a human table with every built-in plugin", async () => {
    const io = capture();
    expect(await run(["list"], registerBuiltins(createRegistry()), io)).toBe(0);
    for (const p of builtinPlugins) expect(io.stdout).toContain(p.name);
  });
});

describe("usage errors", () => {
  it("exits 2 on an unknown command or flag, 0 on --help", async () => {
    const a = capture();
    expect(await run(["frobnicate"], createRegistry(), a)).toBe(2);
    expect(a.stderr).toMatch(/unknown command/);
    const b = capture();
    expect(await run(["list", "--jsno"], createRegistry(), b)).toBe(2);
    expect(b.stderr).toMatch(/unknown option/);
    const c = capture();
    expect(await run(["list", "--help"], createRegistry(), c)).toBe(0);
    expect(c.stdout).toContain("--json");
  });
});

describe("the built bin", () => {
  const bin = fileURLToPath(new URL("../dist/bin.js", import.meta.url));

  it("runs as a process with the built-in plugins registered", () => {
    const out = execFileSync(process.execPath, [bin, "list", "--json"], { encoding: "utf8" });
    const table = JSON.parse(out.trim().split("\n").at(-1)!);
    expect(table.groups).toBeInstanceOf(Array);
    const help = spawnSync(process.execPath, [bin, "nope"], { encoding: "utf8" });
    expect(help.status).toBe(2);
  });
});
