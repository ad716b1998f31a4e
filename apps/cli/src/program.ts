import { Command, CommanderError } from "commander";
import { defaultRegistry, IsotropyError, type Registry } from "isotropy";
import { list } from "./commands/list.js";
import { type Io, processIo } from "./io.js";
import { VERSION } from "./version.js";

/** Exit codes: 0 success, 1 a failure of the work itself, 2 a usage error. */
export const EXIT_USAGE = 2;

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

  // Every subcommand inherits the same error handling and output streams.
  for (const c of program.commands) {
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
      return e.code === "E_UNKNOWN_NAME" || e.code === "E_PARSE" ? EXIT_USAGE : 1;
    }
    throw e;
  }
}
