import { BackendUnavailableError, InvalidArgumentError } from "./errors.js";
import type { Entry } from "./plugin.js";
import type { RegisteredEntry, Registry } from "./registry.js";

/** Where code runs: backends rank themselves per environment. */
export type Environment = "node" | "browser";

/** What a backend says about itself on this machine. */
export interface BackendStatus {
  readonly available: boolean;
  /** Why not, when unavailable (a build error, no adapter, ...). */
  readonly reason?: string;
  /** E.g. `{ simd: true, threads: 1 }`. */
  readonly capabilities?: Readonly<Record<string, unknown>>;
}

/**
 * The fields a `backends` entry carries beside its factory. `create(params)` returns the
 * backend's name in TensorFlow.js after making it current (`tf.setBackend`), so nothing in core
 * needs TensorFlow.js.
 */
export interface BackendFields {
  /** Rank per environment, higher first; absent = not offered there. */
  readonly priority: Partial<Record<Environment, number>>;
  /** Whether it can run here, without side effects beyond loading. */
  readonly probe: () => Promise<BackendStatus>;
}

export type BackendEntry = Entry & BackendFields;

export function isBackendEntry(e: Entry): e is BackendEntry {
  return typeof e.probe === "function" && typeof e.priority === "object" && e.priority !== null;
}

/** The environment this code runs in. */
export function currentEnvironment(): Environment {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return p?.versions?.node ? "node" : "browser";
}

export interface BackendReport {
  readonly name: string;
  readonly plugin: string;
  readonly description: string;
  readonly priority: number | null;
  readonly status: BackendStatus;
}

/** Every registered backend with its status here, best first. */
export async function listBackends(
  registry: Registry,
  env: Environment = currentEnvironment(),
): Promise<BackendReport[]> {
  const entries = registry.list("backends").filter((e) => isBackendEntry(e.entry));
  const reports = await Promise.all(
    entries.map(async (e) => {
      const entry = e.entry as BackendEntry;
      return {
        name: e.name,
        plugin: e.plugin,
        description: e.description,
        priority: entry.priority[env] ?? null,
        status: await safeProbe(entry),
      };
    }),
  );
  return reports.sort((a, b) => (b.priority ?? -Infinity) - (a.priority ?? -Infinity));
}

/**
 * Makes a backend current: `auto` takes the available one of highest priority for this
 * environment; a named one that cannot run throws BackendUnavailableError with its reason and
 * what is available instead. Returns the chosen entry and its status.
 */
export async function selectBackend(
  registry: Registry,
  request = "auto",
  params: unknown = {},
  env: Environment = currentEnvironment(),
): Promise<{ name: string; status: BackendStatus; tfName: string }> {
  // Probes are lazy: a probe may be costly (a GPU device), so `auto` probes in priority order
  // and stops at the first available, and a named request probes only that one; everything is
  // listed only to say what is available instead when it fails.
  const availableNames = async () =>
    (await listBackends(registry, env)).filter((r) => r.status.available).map((r) => r.name);
  let chosen: RegisteredEntry;
  let status: BackendStatus | undefined;
  if (request === "auto") {
    const ranked = registry
      .list("backends")
      .filter((e) => isBackendEntry(e.entry) && e.entry.priority[env] !== undefined)
      .sort(
        (a, b) =>
          ((b.entry as BackendEntry).priority[env] ?? 0) -
          ((a.entry as BackendEntry).priority[env] ?? 0),
      );
    const reasons: string[] = [];
    let best: RegisteredEntry | undefined;
    for (const e of ranked) {
      const s = await safeProbe(e.entry as BackendEntry);
      if (s.available) {
        best = e;
        status = s;
        break;
      }
      reasons.push(`${e.name}: ${s.reason ?? "unavailable"}`);
    }
    if (!best || !status) {
      throw new BackendUnavailableError(
        "auto",
        `no registered backend can run in ${env} (${reasons.join("; ") || "none registered"})`,
      );
    }
    chosen = best;
  } else {
    chosen = registry.get("backends", request);
    if (!isBackendEntry(chosen.entry)) {
      throw new InvalidArgumentError(
        `The backends entry "${chosen.qualifiedName}" has no probe/priority.`,
      );
    }
    status = await safeProbe(chosen.entry);
    if (!status.available) {
      throw new BackendUnavailableError(
        chosen.name,
        status.reason ?? "it reports unavailable",
        await availableNames(),
      );
    }
  }
  const tfName = await registry.create<Promise<string>>("backends", chosen.qualifiedName, params);
  return { name: chosen.name, status, tfName };
}

async function safeProbe(entry: BackendEntry): Promise<BackendStatus> {
  try {
    return await entry.probe();
  } catch (e) {
    return { available: false, reason: e instanceof Error ? e.message : String(e) };
  }
}
