import { createRegistry, registerBuiltins } from "isotropy";
import { type Io, run } from "../src/index.js";

/** An `Io` that collects what a command writes to stdout and stderr (not a terminal). */
export function capture(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    isTTY: false,
    out: (t: string) => {
      io.stdout += t;
    },
    err: (t: string) => {
      io.stderr += t;
    },
  };
  return io;
}

/** Runs the CLI with the built-in plugins; its exit code and what it wrote. */
export async function cli(args: string[]) {
  const io = capture();
  const code = await run(args, registerBuiltins(createRegistry()), io);
  return { code, io };
}

/** A small model and batch for CLI runs that train: 16 channels, 1 layer, batches of 32. */
export const SMALL_MODEL = ["--channels", "16", "--layers", "1", "--batch", "32"];
