import * as tf from "@tensorflow/tfjs-core";
import { createRegistry, registerBuiltins, selectBackend } from "isotropy";
import { describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { capture } from "./helpers.js";

const registry = registerBuiltins(createRegistry());

describe("isotropy bench backends", () => {
  it("prints one JSON object: matMul, raw sgemm, an EMLP step per backend and the targets", async () => {
    const io = capture();
    const code = await run(
      [
        "bench",
        "backends",
        "--json",
        "--sizes",
        "32,600",
        "--reps",
        "1",
        "--channels",
        "16",
        "--layers",
        "1",
        "--batch",
        "8",
      ],
      registry,
      io,
    );
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout.trim().split("\n").at(-1)!);
    expect(Object.keys(r)).toEqual([
      "machine",
      "sizes",
      "backends",
      "addon",
      "matMul",
      "rawSgemm",
      "skipped",
      "emlpStep",
      "targets",
    ]);
    expect(r.sizes).toEqual([32, 600]);
    const available = (r.backends as { name: string; available: boolean }[])
      .filter((b) => b.available)
      .map((b) => b.name);
    expect(available).toEqual(expect.arrayContaining(["cpu", "wasm"]));
    expect(Object.keys(r.matMul).sort()).toEqual([...available].sort());
    for (const name of available) {
      expect(r.matMul[name]["32"].gflops).toBeGreaterThan(0);
      expect(r.matMul[name]["32"].ms).toBeGreaterThan(0);
      expect(r.emlpStep.ms[name]).toBeGreaterThan(0);
    }
    // cpu stops at 512, and says so.
    expect(r.matMul.cpu["600"]).toBeUndefined();
    expect(r.skipped).toContainEqual(
      expect.objectContaining({ backend: "cpu", what: "matMul at 600" }),
    );
    expect(r.emlpStep).toMatchObject({ task: "inertia", channels: 16, layers: 1, batch: 8 });
    if (r.addon.available) {
      expect(r.rawSgemm["32"].gflops).toBeGreaterThan(0);
    } else {
      expect(r.rawSgemm).toBeNull();
    }
    for (const t of Object.values(r.targets) as {
      value: unknown;
      target: number;
      met: unknown;
    }[]) {
      expect(typeof t.target).toBe("number");
      expect(t.value === null ? t.met === null : typeof t.met === "boolean").toBe(true);
    }
    // Not measured at these sizes: no 1024.
    expect(r.targets.nodeMatMulVsRawSgemmAt1024.value).toBeNull();
    expect(r.targets.wasmVsCpuMatMul.size).toBe(32);
  });

  it("skips the EMLP step with --no-emlp and prints a table without --json", async () => {
    const io = capture();
    expect(
      await run(
        ["bench", "backends", "--sizes", "16", "--no-emlp", "--backends", "cpu"],
        registry,
        io,
      ),
    ).toBe(0);
    expect(io.stdout).toMatch(/matMul GFLOP\/s/);
    expect(io.stdout).toMatch(/^ {2}cpu /m);
    expect(io.stdout).not.toMatch(/EMLP/);
    expect(io.stdout).toMatch(/nodeMatMulVsRawSgemmAt1024: not measured/);
  });

  it("refuses bad sizes with exit code 2", async () => {
    const io = capture();
    expect(await run(["bench", "backends", "--sizes", "32,abc"], registry, io)).toBe(2);
    expect(io.stderr).toMatch(/--sizes must be an integer/);
  });
});

describe("isotropy bench step", () => {
  it("times EMLP and MLP steps per task with their ratio and the bases' memory", async () => {
    const io = capture();
    const code = await run(
      [
        "bench",
        "step",
        "--json",
        "--backend",
        "cpu",
        "--tasks",
        "o5-synthetic,inertia",
        "--channels",
        "16",
        "--layers",
        "1",
        "--batch",
        "8",
        "--reps",
        "3",
      ],
      registry,
      io,
    );
    expect(code).toBe(0);
    const r = JSON.parse(io.stdout.trim().split("\n").at(-1)!);
    expect(r.backend).toBe("cpu");
    // The figures travel with the machine they were measured on.
    expect(r.machine.cpu.length).toBeGreaterThan(0);
    expect(r.machine.cores).toBeGreaterThan(0);
    expect(r.machine.node).toBe(process.version);
    expect(r.tasks.map((t: { task: string }) => t.task)).toEqual(["o5-synthetic", "inertia"]);
    for (const t of r.tasks) {
      expect(t.emlp.stepMs).toBeGreaterThan(0);
      expect(t.mlp.stepMs).toBeGreaterThan(0);
      expect(t.stepRatio).toBeCloseTo(t.emlp.stepMs / t.mlp.stepMs, 6);
      // The spread of the per-round ratios: two positive quartiles in order.
      const [q1, q3] = t.stepRatioQuartiles;
      expect(q1).toBeGreaterThan(0);
      expect(q3).toBeGreaterThanOrEqual(q1);
      // Bases and placement indices are real tensors beyond the parameters.
      expect(t.emlp.basisTensorBytes).toBeGreaterThan(0);
      // So do the fused-kernel plans (placements, gate columns), counted apart.
      expect(t.emlp.planBytes).toBeGreaterThan(0);
    }
    expect(r.tasks[1].group).toBe("O(3)");
  });

  it("--kernels: each model's step, kernel by kernel; the kernels are restored after", async () => {
    const args = ["bench", "step", "--backend", "cpu", "--tasks", "inertia", "--channels", "8"];
    const small = [...args, "--layers", "1", "--batch", "4", "--reps", "2", "--kernels"];
    await selectBackend(registry, "cpu");
    const before = tf.getKernelsForBackend("cpu").map((k) => [k.kernelName, k.kernelFunc] as const);
    const io = capture();
    expect(await run([...small, "--json"], registry, io)).toBe(0);
    const t = JSON.parse(io.stdout.trim().split("\n").at(-1)!).tasks[0];
    for (const b of [t.emlp.breakdown, t.mlp.breakdown]) {
      expect(b.stepMs).toBeGreaterThan(0);
      expect(b.kernels.length).toBeGreaterThan(3);
      const ms = b.kernels.map((k: { ms: number }) => k.ms);
      expect(ms).toEqual([...ms].sort((x, y) => y - x));
      expect(b.kernelsMs).toBeCloseTo(
        ms.reduce((x: number, y: number) => x + y, 0),
        6,
      );
      expect(b.outsideKernelsMs).toBeCloseTo(b.stepMs - b.kernelsMs, 6);
      // Per step: an MSE loss runs one Mean forward.
      expect(b.kernels.find((k: { kernel: string }) => k.kernel === "Mean")?.calls).toBe(1);
    }
    // The MLP's dense layers are matMuls; EMLP's are not.
    const names = (b: { kernels: { kernel: string }[] }) => b.kernels.map((k) => k.kernel);
    expect(names(t.mlp.breakdown)).toContain("BatchMatMul");
    // The timing wrappers are gone: the backend's own kernel functions are registered again.
    for (const [name, fn] of before) expect(tf.getKernel(name, "cpu")?.kernelFunc).toBe(fn);
    const text = capture();
    expect(await run(small, registry, text)).toBe(0);
    expect(text.stdout).toMatch(/EMLP kernels \(ms per step\): .*; outside kernels/);
    expect(text.stdout).toMatch(/MLP kernels \(ms per step\): .*BatchMatMul/);
  });

  it("names the unknown task", async () => {
    const io = capture();
    expect(
      await run(["bench", "step", "--backend", "cpu", "--tasks", "inertai"], registry, io),
    ).not.toBe(0);
    expect(io.stderr).toMatch(/inertia/);
  });
});
