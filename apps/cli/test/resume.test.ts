import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli, SMALL_MODEL } from "./helpers.js";

const run = (epochs: number, extra: string[]) =>
  cli([
    "train",
    "--task",
    "o5-synthetic",
    "--n-train",
    "64",
    "--epochs",
    String(epochs),
    ...SMALL_MODEL,
    "--backend",
    "cpu",
    "--checkpoint-every",
    "1",
    "--json",
    ...extra,
  ]);
const last = (stdout: string) => JSON.parse(stdout.trim().split("\n").at(-1)!);

describe("isotropy train --resume", () => {
  it("continues an interrupted run to exactly the uninterrupted run's result", async () => {
    const whole = mkdtempSync(join(tmpdir(), "isotropy-whole-"));
    const split = mkdtempSync(join(tmpdir(), "isotropy-split-"));
    const a = await run(4, ["--out", whole]);
    expect(a.code).toBe(0);
    // The same run stopped after 2 epochs, then resumed with the full budget.
    expect((await run(2, ["--out", split])).code).toBe(0);
    expect(existsSync(join(split, "checkpoint.safetensors"))).toBe(true);
    const b = await run(4, ["--out", split, "--resume"]);
    expect(b.code).toBe(0);
    expect(b.io.stderr).toContain("resuming from");
    const ra = last(a.io.stdout);
    const rb = last(b.io.stdout);
    expect(rb.resumedFromEpoch).toBe(2);
    expect(rb.testMSE).toBe(ra.testMSE);
    expect(rb.bestEpoch).toBe(ra.bestEpoch);
    expect(readFileSync(join(split, "weights.safetensors"))).toEqual(
      readFileSync(join(whole, "weights.safetensors")),
    );
    // Each epoch once in the metrics, in order.
    const epochs = readFileSync(join(split, "metrics.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l).epoch);
    expect(epochs).toEqual([1, 2, 3, 4]);
  });

  it("starts fresh, and says so, when the folder holds no checkpoint", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-fresh-"));
    const r = await run(1, ["--out", dir, "--resume"]);
    expect(r.code).toBe(0);
    expect(r.io.stderr).toContain("no checkpoint");
    expect(last(r.io.stdout).resumedFromEpoch).toBe(0);
  });

  it("refuses other settings, a missing --out and a bad --checkpoint-every before training", async () => {
    const dir = mkdtempSync(join(tmpdir(), "isotropy-other-"));
    expect((await run(1, ["--out", dir])).code).toBe(0);
    const other = await run(2, ["--out", dir, "--resume", "--lr", "1e-3"]);
    expect(other.code).toBe(2);
    expect(other.io.stderr).toMatch(/this run's lr is 0\.001, the run in .* has 0\.003/);
    expect(other.io.stderr).not.toContain("epoch 1/");
    // Refused before a strategy builds: this cloning phase alone would take hours.
    const cloned = await run(2, ["--out", dir, "--resume", "--strategy", "cloning:steps=10000000"]);
    expect(cloned.code).toBe(2);
    expect(cloned.io.stderr).toMatch(/this run's model is "cloning", the run in .* has "emlp"/);
    const noOut = await run(1, ["--resume"]);
    expect(noOut.code).toBe(2);
    expect(noOut.io.stderr).toContain("give --out");
    const bad = await run(1, ["--checkpoint-every", "0"]);
    expect(bad.code).toBe(2);
    expect(bad.io.stderr).toContain("--checkpoint-every must be an integer >= 1");
    const otherData = await run(2, ["--out", dir, "--resume", "--data-seed", "1"]);
    expect(otherData.code).toBe(2);
    expect(otherData.io.stderr).toMatch(/this run's dataSeed is 1, the run in .* has 0/);
    // A run written before --data-seed drew its data from its seed: it still resumes.
    const otherPool = await run(2, [
      "--out",
      dir,
      "--resume",
      "--pool",
      "emlp",
      "--data-seed",
      "0",
    ]);
    expect(otherPool.code).toBe(2);
    expect(otherPool.io.stderr).toMatch(/this run's pool is "emlp", the run in .* has "isotropy"/);
    // A run written before --data-seed and --pool drew its data from its seed, with Rng.
    const config = JSON.parse(readFileSync(join(dir, "config.json"), "utf8"));
    delete config.dataSeed;
    delete config.pool;
    writeFileSync(join(dir, "config.json"), JSON.stringify(config));
    const older = await run(2, ["--out", dir, "--resume"]);
    expect(older.code).toBe(0);
    expect(last(older.io.stdout).resumedFromEpoch).toBe(1);
    writeFileSync(join(dir, "config.json"), "{ torn");
    const torn = await run(1, ["--out", dir, "--resume"]);
    expect(torn.code).toBe(2);
    expect(torn.io.stderr).toContain("is not valid JSON");
  });

  it("is refused on a symmetry-breaking task, naming the flag", async () => {
    const r = await cli(["train", "--task", "polygon-deform", "--strategy", "none", "--resume"]);
    expect(r.code).toBe(2);
    expect(r.io.stderr).toContain("--resume is for classic tasks");
    const seeded = await cli([
      "train",
      "--task",
      "polygon-deform",
      "--strategy",
      "none",
      "--data-seed",
      "1",
    ]);
    expect(seeded.code).toBe(2);
    expect(seeded.io.stderr).toContain("--data-seed is for classic tasks");
    const pooled = await cli(["train", "--task", "ising", "--strategy", "none", "--pool", "emlp"]);
    expect(pooled.code).toBe(2);
    expect(pooled.io.stderr).toContain("--pool is for classic tasks");
  });
});
