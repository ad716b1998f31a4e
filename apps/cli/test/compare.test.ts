import { describe, expect, it } from "vitest";
import { cli } from "./helpers.js";

const tiny = ["--n-train", "32", "--epochs", "2", "--channels", "8", "--layers", "1"];

interface Row {
  name: string;
  testMSE: number;
  perSeed: number[];
  equivarianceError: number;
  equivarianceErrorPerSeed: number[];
}

describe("isotropy compare on a classic task", () => {
  it("gives each row the per-seed figures and their means, from --first-seed on", async () => {
    const { code, io } = await cli([
      "compare",
      "--task",
      "o5-synthetic",
      "--strategies",
      "mlp,emlp",
      "--seeds",
      "2",
      "--first-seed",
      "3",
      ...tiny,
      "--backend",
      "cpu",
      "--json",
    ]);
    expect(code, io.stderr).toBe(0);
    const r = JSON.parse(io.stdout.trim().split("\n").at(-1)!);
    expect(r).toMatchObject({ task: "o5-synthetic", seeds: 2, firstSeed: 3 });
    const rows = r.rows as Row[];
    expect(rows.map((x) => x.name)).toEqual(["mlp", "emlp"]);
    for (const row of rows) {
      expect(row.perSeed).toHaveLength(2);
      expect(row.equivarianceErrorPerSeed).toHaveLength(2);
      const [a, b] = row.equivarianceErrorPerSeed as [number, number];
      expect(row.equivarianceError).toBeCloseTo((a + b) / 2, 12);
      expect(row.testMSE).toBeCloseTo((row.perSeed[0]! + row.perSeed[1]!) / 2, 12);
    }
    // The measure itself: an MLP is not equivariant, an EMLP is to float precision.
    expect(rows[0]!.equivarianceError).toBeGreaterThan(1e-3);
    expect(rows[1]!.equivarianceError).toBeLessThan(1e-5);
  }, 120_000);

  it("trains every row under --schedule, as train does, and says which", async () => {
    const args = ["--task", "o5-synthetic", ...tiny, "--batch", "16", "--backend", "cpu", "--json"];
    const last = (out: string) => JSON.parse(out.trim().split("\n").at(-1)!);
    const compared = await cli([
      "compare",
      "--strategies",
      "emlp",
      "--schedule",
      "cosine",
      ...args,
    ]);
    expect(compared.code, compared.io.stderr).toBe(0);
    const table = last(compared.io.stdout);
    expect(table.schedule).toBe("cosine");
    const trained = await cli(["train", "--model", "emlp", "--schedule", "cosine", ...args]);
    expect(table.rows[0].perSeed[0]).toBe(last(trained.io.stdout).testMSE);
    const constant = await cli(["compare", "--strategies", "emlp", ...args]);
    expect(last(constant.io.stdout).schedule).toBe("constant");
    expect(last(constant.io.stdout).rows[0].perSeed[0]).not.toBe(table.rows[0].perSeed[0]);
    const bad = await cli(["compare", "--strategies", "emlp", "--schedule", "cosin", ...args]);
    expect(bad.code).toBe(2);
    expect(bad.io.stderr).toMatch(/Did you mean "cosine"/);
  }, 120_000);

  it("refuses a seed count or first seed that is not a non-negative integer", async () => {
    for (const [flag, value] of [
      ["--seeds", "0"],
      ["--seeds", "two"],
      ["--first-seed", "-1"],
      ["--first-seed", "1.5"],
    ] as const) {
      const { code, io } = await cli([
        "compare",
        "--task",
        "o5-synthetic",
        "--strategies",
        "mlp",
        flag,
        value,
        ...tiny,
        "--backend",
        "cpu",
      ]);
      expect(code).toBe(2);
      expect(io.stderr).toContain(flag);
      expect(io.stderr).toContain(value);
    }
  });
});
