import { InvalidArgumentError, type Registry } from "isotropy";
import { type BenchBackendsResult, benchBackends, DEFAULT_SIZES } from "../bench/backends.js";
import { type BenchStepResult, benchStep } from "../bench/step.js";
import { type Io, printJson } from "../io.js";

export interface BenchBackendsCommandOptions {
  sizes?: string;
  reps: string;
  emlp: boolean;
  channels: string;
  layers: string;
  batch: string;
  threads?: string;
  bundled?: boolean;
  backends?: string;
  json?: boolean;
}

/** `isotropy bench backends`: matMul GFLOP/s, an EMLP step and raw SGEMM per backend. */
export async function benchBackendsCommand(
  registry: Registry,
  io: Io,
  opts: BenchBackendsCommandOptions,
): Promise<BenchBackendsResult> {
  const sizes =
    opts.sizes === undefined
      ? [...DEFAULT_SIZES]
      : opts.sizes.split(",").map((s) => integer("--sizes", s.trim(), 1));
  const reps = integer("--reps", opts.reps, 1);
  const emlp = opts.emlp
    ? {
        channels: integer("--channels", opts.channels, 1),
        layers: integer("--layers", opts.layers, 1),
        batch: integer("--batch", opts.batch, 1),
      }
    : (false as const);
  const result = await benchBackends(registry, {
    sizes,
    reps,
    emlp,
    ...(opts.threads === undefined ? {} : { threads: integer("--threads", opts.threads, 1) }),
    ...(opts.bundled ? { bundled: true } : {}),
    ...(opts.backends === undefined
      ? {}
      : { backends: opts.backends.split(",").map((s) => s.trim()) }),
    log: (line) => io.err(`bench: ${line}\n`),
  });
  if (opts.json) printJson(io, result);
  else io.out(table(result));
  return result;
}

function table(r: BenchBackendsResult): string {
  const lines: string[] = [];
  const rows: [string, Record<string, { gflops: number }> | null | undefined][] = [
    ...Object.entries(r.matMul),
    ["raw sgemm", r.rawSgemm],
    ...(r.bundled
      ? ([
          ["node (bundled)", r.bundled.node],
          ["raw bundled", r.bundled.raw],
        ] as [string, Record<string, { gflops: number }>][])
      : []),
  ];
  const width = Math.max(10, ...rows.map(([n]) => n.length));
  lines.push(`matMul GFLOP/s (${r.machine.cpu}, ${r.machine.cores} cores, Node ${r.machine.node})`);
  lines.push(`  ${"".padEnd(width)}${r.sizes.map((n) => String(n).padStart(10)).join("")}`);
  for (const [name, m] of rows) {
    if (!m) continue;
    const cells = r.sizes.map((n) => (m[n] ? m[n].gflops.toFixed(2) : "-").padStart(10));
    lines.push(`  ${name.padEnd(width)}${cells.join("")}`);
  }
  if (r.emlpStep) {
    const e = r.emlpStep;
    lines.push(
      `EMLP(${e.channels}, ${e.layers} layers) training step, batch ${e.batch}, ${e.task} (${e.repIn} -> ${e.repOut}), ms`,
    );
    for (const [name, ms] of Object.entries(e.ms))
      lines.push(`  ${name.padEnd(width)}${ms.toFixed(1).padStart(10)}`);
  }
  lines.push("targets");
  for (const [name, t] of Object.entries(r.targets)) {
    const v =
      t.value === null
        ? "not measured"
        : `${t.value} (target >= ${t.target}: ${t.met ? "met" : "NOT met"})`;
    lines.push(`  ${name}: ${v}`);
  }
  for (const s of r.skipped) lines.push(`skipped: ${s.backend} ${s.what}: ${s.reason}`);
  return `${lines.join("\n")}\n`;
}

function integer(flag: string, s: string, min: number): number {
  const n = Number(s);
  if (!Number.isInteger(n) || n < min) {
    throw new InvalidArgumentError(`${flag} must be an integer >= ${min}, got "${s}".`);
  }
  return n;
}

export interface BenchStepCommandOptions {
  backend: string;
  tasks?: string;
  channels: string;
  layers: string;
  batch: string;
  reps: string;
  kernels?: boolean;
  json?: boolean;
}

/** `isotropy bench step`: EMLP and MLP training steps per classic task, and their ratio. */
export async function benchStepCommand(
  registry: Registry,
  io: Io,
  opts: BenchStepCommandOptions,
): Promise<BenchStepResult> {
  const result = await benchStep(registry, {
    backend: opts.backend,
    ...(opts.tasks === undefined ? {} : { tasks: opts.tasks.split(",").map((s) => s.trim()) }),
    channels: integer("--channels", opts.channels, 1),
    layers: integer("--layers", opts.layers, 1),
    batch: integer("--batch", opts.batch, 1),
    reps: integer("--reps", opts.reps, 1),
    kernels: opts.kernels ?? false,
    log: (line) => io.err(`bench: ${line}\n`),
  });
  if (opts.json) printJson(io, result);
  else {
    const lines = [
      `training step, batch ${result.batch}, ${result.channels} channels, ${result.layers} layers, ${result.backend} (${result.machine.cpu}, ${result.machine.cores} cores)`,
    ];
    for (const t of result.tasks) {
      lines.push(
        `  ${t.task.padEnd(22)} EMLP ${t.emlp.stepMs.toFixed(1).padStart(8)} ms  MLP ${t.mlp.stepMs.toFixed(1).padStart(7)} ms  ratio ${t.stepRatio.toFixed(2)} (${t.stepRatioQuartiles.map((q) => q.toFixed(2)).join("–")})  bases ${(t.emlp.basisTensorBytes / 1e6).toFixed(2)} MB`,
      );
      for (const [model, b] of [
        ["EMLP", t.emlp.breakdown],
        ["MLP", t.mlp.breakdown],
      ] as const) {
        if (b === undefined) continue;
        const top = b.kernels
          .slice(0, 6)
          .map((k) => `${k.kernel} ${k.ms.toFixed(1)}`)
          .join(", ");
        lines.push(
          `    ${model} kernels (ms per step): ${top}; outside kernels ${b.outsideKernelsMs.toFixed(1)} of ${b.stepMs.toFixed(1)}`,
        );
      }
    }
    io.out(`${lines.join("\n")}\n`);
  }
  return result;
}
