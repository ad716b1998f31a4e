import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRegistry, registerBuiltins } from "isotropy";
import { describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { capture } from "./helpers.js";

async function basisJson(args: string[], cacheDir: string) {
  const io = capture();
  const code = await run(
    ["basis", ...args, "--json", "--cache-dir", cacheDir],
    registerBuiltins(createRegistry()),
    io,
  );
  expect(io.stderr).toBe("");
  expect(code).toBe(0);
  return JSON.parse(io.stdout.trim().split("\n").at(-1)!);
}

describe("isotropy basis", () => {
  it("solves, reports the contract fields, and reads the disk cache the second time", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-cli-"));
    const first = await basisJson(["--group", "SO(3)", "--in", "T(2)", "--out", "T(2)"], dir);
    expect(first).toMatchObject({ group: "SO(3)", size: 81, dim: 3 });
    for (const k of [
      "group",
      "in",
      "out",
      "size",
      "dim",
      "method",
      "seconds",
      "equivarianceError",
    ]) {
      expect(first).toHaveProperty(k);
    }
    expect(first.equivarianceError).toBeLessThan(1e-10);
    expect(readdirSync(dir).length).toBeGreaterThan(0);
    const second = await basisJson(["--group", "SO(3)", "--in", "T(2)", "--out", "T(2)"], dir);
    expect(second.dim).toBe(3);
    const fresh = await basisJson(
      ["--group", "S(5)", "--in", "T(5)", "--out", "Scalar", "--no-cache"],
      dir,
    );
    expect(fresh).toMatchObject({ dim: 52, method: "orbital" });
  });

  it("saves a NumPy array of shape (size, dim) in the documented layout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-cli-"));
    const file = join(dir, "b.npy");
    const r = await basisJson(["--group", "S(3)", "--in", "V", "--out", "V", "--save", file], dir);
    expect(r.dim).toBe(2);
    const buf = readFileSync(file);
    expect(buf.subarray(1, 6).toString()).toBe("NUMPY");
    const headerLen = buf.readUInt16LE(8);
    const header = buf.subarray(10, 10 + headerLen).toString();
    expect(header).toContain("'shape': (9, 2)");
    expect((10 + headerLen) % 64).toBe(0);
    const data = new Float64Array(
      buf.buffer.slice(buf.byteOffset + 10 + headerLen, buf.byteOffset + buf.length),
    );
    expect(data.length).toBe(18);
    const py = spawnSync(
      "python3",
      [
        "-c",
        `import numpy; a = numpy.load(${JSON.stringify(file)}); print(a.shape, round(float((a.T @ a).trace()), 9))`,
      ],
      { encoding: "utf8" },
    );
    if (py.status === 0) expect(py.stdout.trim()).toBe("(9, 2) 2.0");
  });

  it("points at the column of a parse error and suggests near group names (exit 2)", async () => {
    const a = capture();
    expect(
      await run(
        ["basis", "--group", "SO(3)", "--in", "2*V + ", "--out", "V"],
        registerBuiltins(createRegistry()),
        a,
      ),
    ).toBe(2);
    expect(a.stderr).toMatch(/column 7/);
    const b = capture();
    expect(
      await run(
        ["basis", "--group", "SO3(3)", "--in", "V", "--out", "V"],
        registerBuiltins(createRegistry()),
        b,
      ),
    ).toBe(2);
    expect(b.stderr).toMatch(/Did you mean/);
  });
});
