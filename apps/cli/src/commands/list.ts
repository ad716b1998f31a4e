import {
  ENTRY_KINDS,
  type EntryKind,
  listBackends,
  nearestNames,
  type Registry,
  UnknownNameError,
} from "@isotropy/core";
import { type Io, printJson } from "../io.js";

export interface ListOptions {
  json?: boolean;
}

interface Row {
  name: string;
  plugin: string;
  description: string;
  available?: boolean;
  reason?: string;
  capabilities?: Readonly<Record<string, unknown>>;
}

/**
 * `isotropy list [kind]`: what the registry holds, by kind. Backends are probed, so each says
 * whether it can run here and, when not, why.
 */
export async function list(
  registry: Registry,
  io: Io,
  kind: string | undefined,
  opts: ListOptions,
): Promise<void> {
  const kinds = kind === undefined ? ENTRY_KINDS : [parseKind(kind)];
  const table: Record<string, Row[]> = {};
  for (const k of kinds) {
    table[k] = registry.list(k).map((e) => ({
      name: e.name,
      plugin: e.plugin,
      description: e.description,
    }));
  }
  if (table.backends) {
    table.backends = (await listBackends(registry)).map((r) => ({
      name: r.name,
      plugin: r.plugin,
      description: r.description,
      available: r.status.available,
      ...(r.status.reason ? { reason: r.status.reason } : {}),
      ...(r.status.capabilities ? { capabilities: r.status.capabilities } : {}),
    }));
  }
  if (opts.json) {
    printJson(io, table);
    return;
  }
  for (const [k, entries] of Object.entries(table)) {
    io.out(`${k} (${entries.length})\n`);
    if (entries.length === 0) io.out("  (none registered)\n");
    const width = Math.max(0, ...entries.map((e) => e.name.length));
    for (const e of entries) {
      const status =
        e.available === undefined
          ? ""
          : e.available
            ? "  (available)"
            : `  (unavailable: ${e.reason})`;
      io.out(`  ${e.name.padEnd(width)}  ${e.description}  [${e.plugin}]${status}\n`);
    }
  }
  const plugins = registry.plugins();
  io.out(
    `\n${plugins.length} plugins: ${plugins.map((p) => `${p.name}@${p.version}`).join(", ")}\n`,
  );
}

function parseKind(kind: string): EntryKind {
  if ((ENTRY_KINDS as readonly string[]).includes(kind)) return kind as EntryKind;
  throw new UnknownNameError("kinds", kind, nearestNames(kind, ENTRY_KINDS));
}
