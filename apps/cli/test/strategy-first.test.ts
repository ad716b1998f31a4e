import { createRegistry, registerBuiltins } from "isotropy";
import { describe, expect, it } from "vitest";
import { run } from "../src/index.js";
import { capture } from "./helpers.js";

// Its own file, so its own process: nothing has registered tfjs's gradients before this run.
describe("a strategy that trains while building", () => {
  it("runs as the first thing a process trains (gradients are registered up front)", async () => {
    const io = capture();
    const code = await run(
      [
        "train",
        "--task",
        "inertia",
        "--strategy",
        "cloning:steps=5:batchSize=16:teacherChannels=8",
        "--n-train",
        "32",
        "--epochs",
        "1",
        "--channels",
        "16",
        "--layers",
        "1",
        "--backend",
        "cpu",
        "--json",
      ],
      registerBuiltins(createRegistry()),
      io,
    );
    expect(io.stderr).not.toContain("register TensorFlow.js gradients first");
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.trim().split("\n").at(-1)!)).toMatchObject({
      model: "cloning",
      strategy: expect.stringContaining("cloning"),
    });
  });
});
