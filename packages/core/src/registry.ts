import semver from "semver";
import {
  AmbiguousNameError,
  DuplicateEntryError,
  IncompatiblePluginError,
  InvalidArgumentError,
  InvalidPluginError,
  UnknownNameError,
} from "./errors.js";
import {
  ENTRY_KINDS,
  type Entry,
  type EntryKind,
  PLUGIN_API_VERSION,
  type Plugin,
} from "./plugin.js";
import { assertPluginShape } from "./plugin-shape.js";
import { nearestNames } from "./suggest.js";

/** An entry as the registry holds it: where it came from and under which names. */
export interface RegisteredEntry<E extends Entry = Entry> {
  readonly kind: EntryKind;
  readonly name: string;
  /** `plugin/name`, always unambiguous. */
  readonly qualifiedName: string;
  readonly plugin: string;
  readonly pluginVersion: string;
  readonly description: string;
  readonly schema: E["schema"];
  readonly entry: E;
}

export interface UseOptions {
  /**
   * What to do when an entry name is already provided by another plugin: `"error"` (the default)
   * refuses the plugin naming both; `"coexist"` keeps both, after which the short name is
   * ambiguous and must be written `plugin/name`.
   */
  onConflict?: "error" | "coexist";
}

export interface Registry {
  /** Registers a plugin (idempotent for the same object). */
  use(plugin: Plugin, options?: UseOptions): Registry;
  /** Resolves `name` or `plugin/name`; throws UnknownNameError / AmbiguousNameError. */
  get(kind: EntryKind, name: string): RegisteredEntry;
  has(kind: EntryKind, name: string): boolean;
  /** Validates `params` against the entry's schema and calls its factory. */
  create<T = unknown>(kind: EntryKind, name: string, params?: unknown): T;
  /** Every entry of a kind, sorted by name then plugin. */
  list(kind: EntryKind): RegisteredEntry[];
  plugins(): readonly Plugin[];
}

class PluginRegistry implements Registry {
  private readonly byName = new Map<string, Plugin>();
  private readonly entries = new Map<EntryKind, Map<string, RegisteredEntry[]>>(
    ENTRY_KINDS.map((k) => [k, new Map()]),
  );

  use(plugin: Plugin, options: UseOptions = {}): Registry {
    assertPluginShape(plugin);
    const existing = this.byName.get(plugin.name);
    if (existing === plugin) return this;
    if (existing) {
      throw new DuplicateEntryError(
        `Plugin "${plugin.name}" is already registered (version ${existing.version}); ` +
          `refusing a second copy (version ${plugin.version}).`,
      );
    }
    const range = semver.validRange(plugin.apiVersion);
    if (range === null) {
      throw new InvalidPluginError(
        `Plugin "${plugin.name}" has apiVersion "${plugin.apiVersion}", which is not a semver range.`,
      );
    }
    if (!semver.satisfies(PLUGIN_API_VERSION, range)) {
      throw new IncompatiblePluginError(plugin.name, plugin.apiVersion, PLUGIN_API_VERSION);
    }
    const conflict = options.onConflict ?? "error";
    const additions: RegisteredEntry[] = [];
    for (const kind of ENTRY_KINDS) {
      for (const [name, entry] of Object.entries(plugin[kind] ?? {})) {
        const clash = this.entries.get(kind)!.get(name);
        if (clash && conflict === "error") {
          throw new DuplicateEntryError(
            `The ${kind} entry "${name}" of plugin "${plugin.name}" is already provided by ` +
              `plugin "${clash[0]!.plugin}". Rename it, or register with { onConflict: "coexist" } ` +
              `and refer to each as plugin/name.`,
          );
        }
        additions.push({
          kind,
          name,
          qualifiedName: `${plugin.name}/${name}`,
          plugin: plugin.name,
          pluginVersion: plugin.version,
          description: entry.description,
          schema: entry.schema,
          entry,
        });
      }
    }
    // Validated in full before anything changes: a refused plugin leaves no trace.
    this.byName.set(plugin.name, plugin);
    for (const a of additions) {
      const byShort = this.entries.get(a.kind)!;
      byShort.set(a.name, [...(byShort.get(a.name) ?? []), a]);
    }
    return this;
  }

  get(kind: EntryKind, name: string): RegisteredEntry {
    const byShort = this.kindMap(kind);
    const slash = name.lastIndexOf("/");
    if (slash > 0) {
      const plugin = name.slice(0, slash);
      const short = name.slice(slash + 1);
      const hit = byShort.get(short)?.find((e) => e.plugin === plugin);
      if (hit) return hit;
    }
    const hits = byShort.get(name);
    if (hits && hits.length === 1) return hits[0]!;
    if (hits && hits.length > 1) {
      throw new AmbiguousNameError(
        kind,
        name,
        hits.map((h) => h.qualifiedName),
      );
    }
    const all = [...byShort.values()].flat();
    const known = all.flatMap((e) => [e.name, e.qualifiedName]);
    throw new UnknownNameError(kind, name, nearestNames(name, known), all.length);
  }

  has(kind: EntryKind, name: string): boolean {
    try {
      this.get(kind, name);
      return true;
    } catch {
      return false;
    }
  }

  create<T = unknown>(kind: EntryKind, name: string, params: unknown = {}): T {
    const e = this.get(kind, name);
    const result = e.schema["~standard"].validate(params);
    if (result instanceof Promise) {
      throw new InvalidArgumentError(
        `The schema of ${e.qualifiedName} is asynchronous; registry entries need synchronous schemas.`,
      );
    }
    if (result.issues) {
      const why = result.issues
        .map((i) => {
          const path = (i.path ?? [])
            .map((p) => (typeof p === "object" ? String(p.key) : String(p)))
            .join(".");
          return path ? `${path}: ${i.message}` : i.message;
        })
        .join("; ");
      throw new InvalidArgumentError(
        `Invalid parameters for ${kind} "${e.qualifiedName}": ${why}.`,
      );
    }
    return e.entry.create(result.value) as T;
  }

  list(kind: EntryKind): RegisteredEntry[] {
    return [...this.kindMap(kind).values()]
      .flat()
      .sort((a, b) => a.name.localeCompare(b.name) || a.plugin.localeCompare(b.plugin));
  }

  plugins(): readonly Plugin[] {
    return [...this.byName.values()];
  }

  private kindMap(kind: EntryKind): Map<string, RegisteredEntry[]> {
    const m = this.entries.get(kind);
    if (!m) {
      throw new UnknownNameError("kinds", String(kind), nearestNames(String(kind), ENTRY_KINDS));
    }
    return m;
  }
}

/** A new, empty registry, independent of every other. */
export function createRegistry(): Registry {
  return new PluginRegistry();
}

/** The registry that `isotropy` fills with the built-in plugins and the CLI reads. */
export const defaultRegistry: Registry = createRegistry();
