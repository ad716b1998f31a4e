import type { Registry } from "isotropy";
import { type Io, printJson } from "../io.js";
import { type TrainRunResult, trainClassicCommand } from "./train.js";

export interface DemoOptions {
  task: string;
  nTrain: string;
  epochs: string;
  channels: string;
  seed: string;
  backend: string;
  json?: boolean;
}

/**
 * The README's main job: EMLP and the plain MLP trained the same way on one classic task, their
 * test errors and equivariance errors side by side (a short budget, not emlp's full protocol).
 */
export async function demo(registry: Registry, io: Io, opts: DemoOptions): Promise<void> {
  const runs: TrainRunResult[] = [];
  for (const model of ["emlp", "mlp"]) {
    runs.push(
      await trainClassicCommand(registry, quiet(io), {
        task: opts.task,
        model,
        nTrain: opts.nTrain,
        epochs: opts.epochs,
        batch: "500",
        lr: "3e-3",
        seed: opts.seed,
        backend: opts.backend,
        channels: opts.channels,
        layers: "3",
      }),
    );
  }
  if (opts.json) {
    printJson(io, { task: opts.task, runs });
    return;
  }
  const r0 = runs[0]!;
  io.out(
    `\n${r0.task} (${r0.group}), N=${r0.nTrain}, ${r0.epochs} epochs, ${r0.channels} channels, backend ${r0.backend}\n\n` +
      `model  test MSE    equivariance error  train seconds\n`,
  );
  for (const r of runs) {
    io.out(
      `${r.model.toUpperCase().padEnd(6)} ${r.testMSE.toExponential(3).padEnd(11)} ${r.equivarianceError
        .toExponential(2)
        .padEnd(19)} ${r.trainSeconds.toFixed(1)}\n`,
    );
  }
  io.out(
    "\nThe EMLP is equivariant by construction (its error is float32 rounding); the MLP has to learn the symmetry from data.\n",
  );
}

// Progress still goes to stderr; only the per-run summary line on stdout is dropped.
function quiet(io: Io): Io {
  return { ...io, out: () => {} };
}
