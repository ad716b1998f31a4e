import { Command, CommanderError } from "commander";
import { defaultRegistry, IsotropyError, type Registry } from "isotropy";
import { basis } from "./commands/basis.js";
import { benchBackendsCommand, benchStepCommand } from "./commands/bench.js";
import { compare } from "./commands/compare.js";
import { demo } from "./commands/demo.js";
import { list } from "./commands/list.js";
import { trainCommand } from "./commands/train.js";
import { type Io, processIo } from "./io.js";
import { VERSION } from "./version.js";

/** Exit codes: 0 success, 1 a failure of the work itself, 2 a usage error. */
export const EXIT_USAGE = 2;

// Errors in what the user typed (names, grammar, values, shapes) are usage errors.
const USAGE_CODES = new Set([
  "E_UNKNOWN_NAME",
  "E_AMBIGUOUS_NAME",
  "E_PARSE",
  "E_INVALID_ARGUMENT",
  "E_SHAPE",
]);

export function buildProgram(registry: Registry, io: Io): Command {
  const program = new Command("isotropy")
    .description("Symmetry in neural networks: equivariant bases, models and symmetry breaking.")
    .version(VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command("list")
    .description("list registered groups, reps, layers, strategies, tasks and backends")
    .argument("[kind]", "one kind only: groups|reps|layers|strategies|tasks|backends")
    .option("--json", "print one JSON object keyed by kind")
    .action((kind: string | undefined, opts: { json?: boolean }) => list(registry, io, kind, opts));

  program
    .command("basis")
    .description("solve the equivariant basis of the linear maps between two representations")
    .requiredOption("--group <group>", "the group, e.g. SO(3), O(1,3), S(5), SO(3)xS(5)")
    .requiredOption("--in <rep>", "the input representation, e.g. 2*V + V**2")
    .requiredOption("--out <rep>", "the output representation, e.g. T(2)")
    .option("--json", "print one JSON object")
    .option("--save <file.npy>", "write the basis as a (size x dim) float64 NumPy array")
    .option("--no-cache", "solve from scratch, neither reading nor writing the cache")
    .option("--cache-dir <dir>", "cache folder (default $ISOTROPY_CACHE_DIR or ~/.cache/isotropy)")
    .option("--seed <n>", "seed of the sampled group elements for the error check", "0")
    .action((opts) => basis(registry, io, opts));

  program
    .command("train")
    .description("train one model on one task (emlp's protocol by default)")
    .requiredOption(
      "--task <task>",
      "o5-synthetic | inertia | particle-interaction (see `isotropy list tasks`)",
    )
    .option("--model <model>", "emlp | mlp | mlp-aug (not with --strategy)", "emlp")
    .option(
      "--strategy <spec>",
      "a strategy builds the model: breaking tasks none|noise|relaxed|sympe|sbs (relaxed:tol=..), classic tasks rpp|cloning:..",
    )
    .option("--group <group>", "the symmetry group (default: the task's)")
    .option("--n-train <n>", "training samples", "1000")
    .option("--epochs <n>", "epochs (default min(30*30000/N, 1000))")
    .option("--batch <n>", "batch size", "500")
    .option("--lr <lr>", "Adam learning rate", "3e-3")
    .option(
      "--schedule <name>",
      "learning-rate schedule: constant (the spec's protocol) or cosine (to 0; emlp's data-efficiency script)",
      "constant",
    )
    .option("--seed <n>", "seed of data, initialisation and shuffling", "0")
    .option(
      "--data-seed <n>",
      "classic tasks: seed of the data pool and its split alone (default: --seed, or 2021 with --pool emlp); emlp's trials share one pool",
    )
    .option(
      "--pool <sampler>",
      "classic tasks: isotropy (default) or emlp (numpy's generator and emlp's split: emlp's published data with data seed 2021)",
    )
    .option("--backend <name>", "compute backend: auto | cpu | wasm | ...", "auto")
    .option("--channels <n>", "hidden channels per layer", "384")
    .option("--layers <n>", "hidden layers", "3")
    .option(
      "--out <dir>",
      "write config.json, metrics.jsonl, checkpoint.safetensors, weights.safetensors, learning-curve.svg",
    )
    .option(
      "--fresh-test-sets <k>",
      "classic tasks: also report the test MSE over k fresh test sets (mean, median, range)",
    )
    .option(
      "--checkpoint-every <n>",
      "classic tasks with --out: write DIR/checkpoint.safetensors every n epochs and after the last (default 10)",
    )
    .option(
      "--resume",
      "classic tasks: continue the run in --out from its checkpoint (same settings; --epochs may change)",
    )
    .option("--json", "print one JSON object")
    .action(async (opts) => {
      await trainCommand(registry, io, opts);
    });

  program
    .command("demo")
    .description("train EMLP and MLP on one classic task and compare their errors (the main job)")
    .option("--task <task>", "the task", "inertia")
    .option("--n-train <n>", "training samples", "1000")
    .option("--epochs <n>", "epochs (a short budget; emlp's protocol uses 900 at N=1000)", "40")
    .option("--channels <n>", "hidden channels per layer", "384")
    .option("--seed <n>", "seed", "0")
    .option("--backend <name>", "compute backend", "auto")
    .option("--json", "print one JSON object")
    .action((opts) => demo(registry, io, opts));

  program
    .command("compare")
    .description(
      "train one task with several strategies or baseline models over seeds; print a table",
    )
    .requiredOption("--task <task>", "the task")
    .requiredOption(
      "--strategies <list>",
      "comma-separated: none,rpp,cloning:lambda=100,mlp,mlp-aug,emlp",
    )
    .option("--seeds <n>", "seeds per entry", "1")
    .option("--first-seed <s>", "the first seed; the seeds are s, s+1, ...", "0")
    .option("--out <dir>", "breaking tasks: SVG pictures (polygons before/after, graph cuts)")
    .option("--lr <lr>", "Adam learning rate", "3e-3")
    .option("--batch <n>", "batch size (default: 500; symmetry-breaking tasks 32)")
    .option("--schedule <name>", "learning-rate schedule: constant or cosine", "constant")
    .option("--n-train <n>", "training samples", "1000")
    .option("--epochs <n>", "epochs (default min(30*30000/N, 1000))")
    .option("--channels <n>", "hidden channels per layer", "384")
    .option("--layers <n>", "hidden layers", "3")
    .option("--backend <name>", "compute backend", "auto")
    .option("--json", "print one JSON object")
    .action(async (opts) => {
      await compare(registry, io, opts);
    });

  const bench = program
    .command("bench")
    .description("benchmarks: `isotropy bench backends`, `isotropy bench step`");
  bench
    .command("step")
    .description(
      "per classic task: one training step of EMLP and of the MLP of the same widths, their ratio, and the memory of EMLP's bases",
    )
    .option("--backend <name>", "compute backend (default: auto)", "auto")
    .option("--tasks <list>", "comma-separated classic tasks (default: all three)")
    .option("--channels <n>", "hidden channels", "384")
    .option("--layers <n>", "hidden layers", "3")
    .option("--batch <n>", "batch size", "500")
    .option(
      "--reps <n>",
      "rounds of one timed step of each model, after a warm-up (medians are reported)",
      "20",
    )
    .option("--kernels", "also time each kernel over as many more steps per model")
    .option("--json", "print one JSON object")
    .action(async (opts) => {
      await benchStepCommand(registry, io, opts);
    });
  bench
    .command("backends")
    .description(
      "per available backend: matMul GFLOP/s, one EMLP training step on inertia, raw SGEMM (node addon) and the target ratios",
    )
    .option(
      "--sizes <list>",
      "comma-separated matMul sizes (cpu is measured up to 512 only)",
      "256,512,1024,2048",
    )
    .option("--reps <n>", "timed EMLP steps per backend after a warm-up (cpu: 1)", "10")
    .option("--no-emlp", "skip the EMLP training step")
    .option("--channels <n>", "EMLP hidden channels", "384")
    .option("--layers <n>", "EMLP hidden layers", "3")
    .option("--batch <n>", "EMLP batch size", "500")
    .option(
      "--threads <n>",
      "threads of the node backend (default: ISOTROPY_NODE_THREADS, else all cores)",
    )
    .option("--bundled", "also time the node addon's bundled SGEMM when it is built with OpenBLAS")
    .option(
      "--backends <list>",
      "only these backends, comma-separated (default: every available one)",
    )
    .option("--json", "print one JSON object")
    .action(async (opts) => {
      await benchBackendsCommand(registry, io, opts);
    });

  // Every subcommand inherits the same error handling and output streams.
  for (const c of [...program.commands, ...bench.commands]) {
    c.exitOverride().configureOutput({ writeOut: io.out, writeErr: io.err });
  }
  return program;
}

/** Runs the CLI on `argv` (without node and script) and returns the exit code. */
export async function run(
  argv: string[],
  registry: Registry = defaultRegistry,
  io: Io = processIo,
): Promise<number> {
  const program = buildProgram(registry, io);
  try {
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version end through here with exit code 0.
      return e.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (e instanceof IsotropyError) {
      io.err(`isotropy: ${e.message} [${e.code}]\n`);
      return USAGE_CODES.has(e.code) ? EXIT_USAGE : 1;
    }
    throw e;
  }
}
