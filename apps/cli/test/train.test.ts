import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRegistry, registerBuiltins } from "isotropy";
import { describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { capture, cli, SMALL_MODEL } from "./helpers.js";

const small = ["--n-train", "64", "--epochs", "2", ...SMALL_MODEL];

/** A small MLP run on o5-synthetic with these flags: its JSON result. */
async function smallMlpRun(...flags: string[]) {
  const io = capture();
  const code = await run(
    ["train", "--task", "o5-synthetic", "--model", "mlp", ...small, "--backend", "cpu"].concat([
      ...flags,
      "--json",
    ]),
    registerBuiltins(createRegistry()),
    io,
  );
  expect(code).toBe(0);
  return JSON.parse(io.stdout.trim().split("\n").at(-1)!);
}

describe("isotropy train", () => {
  it("trains an EMLP end to end and reports the contract fields; --out writes the run's files", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-train-"));
    const io = capture();
    const code = await run(
      [
        "train",
        "--task",
        "inertia",
        "--model",
        "emlp",
        ...small,
        "--backend",
        "cpu",
        "--out",
        dir,
        "--json",
      ],
      registerBuiltins(createRegistry()),
      io,
    );
    expect(io.stderr).toContain("done: best epoch");
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout.trim().split("\n").at(-1)!);
    for (const k of [
      "task",
      "model",
      "group",
      "nTrain",
      "epochs",
      "testMSE",
      "equivarianceError",
      "trainSeconds",
      "backend",
    ]) {
      expect(r).toHaveProperty(k);
    }
    expect(r).toMatchObject({
      task: "inertia",
      model: "emlp",
      group: "O(3)",
      nTrain: 64,
      epochs: 2,
      backend: "cpu",
    });
    expect(r.equivarianceError).toBeLessThan(1e-5);
    for (const f of [
      "config.json",
      "metrics.jsonl",
      "weights.safetensors",
      "learning-curve.svg",
      "result.json",
    ]) {
      expect(existsSync(join(dir, f))).toBe(true);
    }
    expect(readFileSync(join(dir, "metrics.jsonl"), "utf8").trim().split("\n")).toHaveLength(2);
    expect(readFileSync(join(dir, "learning-curve.svg"), "utf8")).toContain("<polyline");
  });

  it("an MLP is not equivariant; the measured error says so", async () => {
    const io = capture();
    await run(
      ["train", "--task", "o5-synthetic", "--model", "mlp", ...small, "--backend", "cpu", "--json"],
      registerBuiltins(createRegistry()),
      io,
    );
    const r = JSON.parse(io.stdout.trim().split("\n").at(-1)!);
    expect(r.equivarianceError).toBeGreaterThan(1e-3);
  });

  it("refuses a group that does not fit the task before training, naming expected and given", async () => {
    const io = capture();
    const code = await run(
      ["train", "--task", "o5-synthetic", "--group", "SO(3)", "--json"],
      registerBuiltins(createRegistry()),
      io,
    );
    expect(code).toBe(2);
    expect(io.stderr).toMatch(/O\(5\)/);
    expect(io.stderr).toMatch(/SO\(3\)/);
    expect(io.stderr).not.toContain("epoch");
    const bad = capture();
    expect(
      await run(
        ["train", "--task", "inertia", "--model", "cnn"],
        registerBuiltins(createRegistry()),
        bad,
      ),
    ).toBe(2);
    expect(bad.stderr).toMatch(/Unknown model "cnn"/);
    // A strategy builds its own model: a --model beside it would be silently ignored.
    const both = await cli(["train", "--task", "inertia", "--model", "mlp", "--strategy", "rpp"]);
    expect(both.code).toBe(2);
    expect(both.io.stderr).toMatch(/--strategy rpp builds the model; --model mlp/);
    expect(both.io.stderr).not.toContain("epoch");
    const task = capture();
    expect(
      await run(["train", "--task", "inertai"], registerBuiltins(createRegistry()), task),
    ).toBe(2);
    expect(task.stderr).toMatch(/Did you mean "inertia"/);
  });

  it("--schedule cosine decays the learning rate to 0 and is recorded; an unknown one is refused", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-train-"));
    const io = capture();
    const code = await run(
      ["train", "--task", "inertia", "--model", "mlp", ...small, "--backend", "cpu"].concat([
        "--schedule",
        "cosine",
        "--out",
        dir,
        "--json",
      ]),
      registerBuiltins(createRegistry()),
      io,
    );
    expect(code).toBe(0);
    expect(JSON.parse(readFileSync(join(dir, "config.json"), "utf8")).schedule).toBe("cosine");
    const lrs = readFileSync(join(dir, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).lr as number);
    // Per-epoch lr falls strictly under cosine (constant would repeat 3e-3).
    expect(lrs[0]).toBeLessThanOrEqual(3e-3);
    expect(lrs.at(-1)!).toBeLessThan(lrs[0]!);
    const bad = capture();
    expect(
      await run(
        ["train", "--task", "inertia", "--schedule", "cosin"],
        registerBuiltins(createRegistry()),
        bad,
      ),
    ).toBe(2);
    expect(bad.stderr).toMatch(/Did you mean "cosine"/);
  });

  it("--data-seed seeds the data alone (default: --seed), as emlp's trials share one pool", async () => {
    const plain = await smallMlpRun("--seed", "3");
    expect(plain.seed).toBe(3);
    expect(plain.dataSeed).toBe(3);
    const same = await smallMlpRun("--seed", "3", "--data-seed", "3");
    expect([same.testMSE, same.valMSE]).toEqual([plain.testMSE, plain.valMSE]);
    // Another pool under the same initialisation, and the same pool under another one.
    const otherData = await smallMlpRun("--seed", "3", "--data-seed", "0");
    expect(otherData.dataSeed).toBe(0);
    expect(otherData.testMSE).not.toBe(plain.testMSE);
    const otherInit = await smallMlpRun("--seed", "4", "--data-seed", "3");
    expect(otherInit.testMSE).not.toBe(plain.testMSE);
    const bad = capture();
    expect(
      await run(
        ["train", "--task", "o5-synthetic", "--data-seed", "-1"],
        registerBuiltins(createRegistry()),
        bad,
      ),
    ).toBe(2);
    expect(bad.stderr).toMatch(/--data-seed must be an integer from 0 to \d+, got "-1"/);
  });

  it("--pool emlp draws emlp's published data (data seed 2021 by default); bad values are refused", async () => {
    const emlp = await smallMlpRun("--pool", "emlp");
    expect([emlp.pool, emlp.seed, emlp.dataSeed]).toEqual(["emlp", 0, 2021]);
    const explicit = await smallMlpRun("--pool", "emlp", "--data-seed", "2021");
    expect([explicit.testMSE, explicit.valMSE]).toEqual([emlp.testMSE, emlp.valMSE]);
    const ours = await smallMlpRun("--data-seed", "2021");
    expect(ours.pool).toBe("isotropy");
    expect(ours.testMSE).not.toBe(emlp.testMSE);
    for (const [flags, message] of [
      [["--pool", "numpy"], /--pool must be isotropy or emlp, got "numpy"/],
      [["--pool", "emlp", "--data-seed", "4294967296"], /from 0 to 4294967295 \(numpy's seeds/],
    ] as const) {
      const bad = capture();
      expect(
        await run(
          ["train", "--task", "o5-synthetic", ...flags],
          registerBuiltins(createRegistry()),
          bad,
        ),
      ).toBe(2);
      expect(bad.stderr).toMatch(message);
    }
  });

  it("--fresh-test-sets K scores the model on K fresh, seeded test sets; bad values are refused", async () => {
    const r = await smallMlpRun("--fresh-test-sets", "4");
    const f = r.freshTestMSE;
    expect(f.sets).toBe(4);
    expect(f.size).toBe(5000);
    expect(f.min).toBeGreaterThan(0);
    expect(f.min).toBeLessThanOrEqual(f.median);
    expect(f.median).toBeLessThanOrEqual(f.max);
    expect(f.mean).toBeGreaterThanOrEqual(f.min);
    expect(f.mean).toBeLessThanOrEqual(f.max);
    // The sets are different draws (a spread) and seeded (a rerun gives the same numbers).
    expect(f.max).toBeGreaterThan(f.min);
    expect((await smallMlpRun("--fresh-test-sets", "4")).freshTestMSE).toEqual(f);
    const bad = capture();
    expect(
      await run(
        ["train", "--task", "o5-synthetic", "--fresh-test-sets", "1.5"],
        registerBuiltins(createRegistry()),
        bad,
      ),
    ).toBe(2);
    expect(bad.stderr).toMatch(/--fresh-test-sets must be an integer >= 0, got "1.5"/);
  });
});
