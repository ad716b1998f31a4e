import type { Io } from "../src/index.js";

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
