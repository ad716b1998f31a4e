import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const tiny = ["--n-train", "16", "--epochs", "2", "--channels", "8", "--layers", "1"];
const lastJson = (io: { stdout: string }) => JSON.parse(io.stdout.trim().split("\n").at(-1)!);

describe("isotropy train on symmetry-breaking tasks", () => {
  it("prints the contract fields as the last JSON line", async () => {
    const { code, io } = await cli([
      "train",
      "--task",
      "polygon-deform:k=4",
      "--strategy",
      "relaxed",
      ...tiny,
      "--backend",
      "cpu",
      "--json",
    ]);
    expect(code).toBe(0);
    const r = lastJson(io);
    expect(r).toMatchObject({
      task: "polygon-deform",
      strategy: "relaxed",
      group: "O(2)xS(4)",
      nTrain: 16,
      epochs: 2,
      backend: "cpu",
    });
    for (const k of ["name", "value", "symmetric", "generic", "equivariantBound"]) {
      expect(r.metric).toHaveProperty(k);
    }
    expect(r.metric.name).toBe("orbit-aware MSE");
    for (const k of ["relaxedEquivarianceError", "equivarianceError", "trainSeconds"]) {
      expect(typeof r[k]).toBe("number");
    }
    // Relaxed equivariance holds by construction, on every input.
    expect(r.relaxedEquivarianceError).toBeLessThan(1e-4);
    expect(r.equivarianceError).toBeLessThan(1e-4);
  }, 60_000);

  it("none on regular polygons sits at or above the equivariant bound, its outputs unbroken", async () => {
    const { code, io } = await cli([
      "train",
      "--task",
      "polygon-deform:k=4:regularFraction=1",
      "--strategy",
      "none",
      ...tiny,
      "--backend",
      "cpu",
      "--json",
    ]);
    expect(code).toBe(0);
    const r = lastJson(io);
    expect(r.metric.nGeneric).toBe(0);
    expect(r.metric.generic).toBeNull();
    expect(r.metric.symmetricBound).toBeGreaterThan(0);
    expect(r.metric.symmetric).toBeGreaterThanOrEqual(r.metric.symmetricBound * (1 - 1e-6));
    expect(r.symmetryBrokenFraction).toBe(0);
  }, 60_000);

  it("trains the graph tasks and set-decoding", async () => {
    for (const task of ["max-cut:nodes=6", "ising:nodes=6", "set-decoding:points=3"]) {
      const { code, io } = await cli([
        "train",
        "--task",
        task,
        "--strategy",
        "sympe",
        ...tiny,
        "--backend",
        "cpu",
        "--json",
      ]);
      expect(code, io.stderr).toBe(0);
      const r = lastJson(io);
      expect(Number.isFinite(r.metric.value)).toBe(true);
      expect(r.strategy).toBe("sympe");
    }
  }, 120_000);

  it("rejects a strategy that does not fit the task's group with a typed error", async () => {
    const { code, io } = await cli([
      "train",
      "--task",
      "max-cut:nodes=6",
      "--strategy",
      "rpp",
      ...tiny,
      "--backend",
      "cpu",
    ]);
    expect(code).toBe(2);
    expect(io.stderr).toContain("does not fit");
    expect(io.stderr).toContain("[E_INVALID_ARGUMENT]");

    const other = await cli([
      "train",
      "--task",
      "polygon-deform",
      "--strategy",
      "relaxed",
      "--group",
      "SO(3)",
      ...tiny,
      "--backend",
      "cpu",
    ]);
    expect(other.code).toBe(2);
    expect(other.io.stderr).toContain("does not fit");
  });

  it("rejects an out-of-range stabilizer tolerance with a typed error", async () => {
    for (const tol of ["2", "0"]) {
      const { code, io } = await cli([
        "train",
        "--task",
        "polygon-deform",
        "--strategy",
        `relaxed:tol=${tol}`,
        ...tiny,
        "--backend",
        "cpu",
      ]);
      expect(code).toBe(2);
      expect(io.stderr).toContain("tol");
      expect(io.stderr).toContain("[E_INVALID_ARGUMENT]");
    }
  });

  it("asks for --strategy on a breaking task", async () => {
    const { code, io } = await cli(["train", "--task", "ising", ...tiny, "--backend", "cpu"]);
    expect(code).toBe(2);
    expect(io.stderr).toContain("--strategy");
  });
});

describe("isotropy compare on symmetry-breaking tasks", () => {
  it("prints one JSON object and writes SVG pictures with --out", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-compare-"));
    const { code, io } = await cli([
      "compare",
      "--task",
      "polygon-deform:k=4",
      "--strategies",
      "none,relaxed",
      ...tiny,
      "--backend",
      "cpu",
      "--out",
      dir,
      "--json",
    ]);
    expect(code, io.stderr).toBe(0);
    const r = lastJson(io);
    expect(r.task).toBe("polygon-deform");
    expect(r.rows.map((x: { strategy: string }) => x.strategy)).toEqual(["none", "relaxed"]);
    const files = readdirSync(dir).sort();
    expect(files).toEqual([
      "none-polygon-generic.svg",
      "none-polygon-regular.svg",
      "relaxed-polygon-generic.svg",
      "relaxed-polygon-regular.svg",
    ]);
    expect(readFileSync(join(dir, files[0]!), "utf8")).toMatch(/^<svg/);

    const graph = await cli([
      "compare",
      "--task",
      "max-cut:nodes=6",
      "--strategies",
      "relaxed",
      ...tiny,
      "--backend",
      "cpu",
      "--out",
      dir,
    ]);
    expect(graph.code).toBe(0);
    expect(graph.io.stdout).toContain("cut / optimum");
    expect(readdirSync(dir)).toContain("relaxed-max-cut-graph.svg");
  }, 120_000);
});
