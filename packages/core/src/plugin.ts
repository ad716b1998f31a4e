import type { StandardSchemaV1 } from "@standard-schema/spec";

/** The plugin contract this core implements; plugins declare a semver range of it. */
export const PLUGIN_API_VERSION = "1.0.0";

/** The extension points of Isotropy. */
export const ENTRY_KINDS = ["groups", "reps", "layers", "strategies", "tasks", "backends"] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/** Any schema that follows the Standard Schema spec (zod, valibot, arktype, ...). */
export type ParamSchema = StandardSchemaV1;

/**
 * One registry entry: a factory, a one-line description, and the schema of the factory's
 * parameters. Kinds may carry extra fields (a backend's priority, a task's group); they are kept
 * as given and read by the package that owns the kind.
 */
export interface Entry<S extends ParamSchema = ParamSchema, Out = unknown> {
  readonly description: string;
  readonly schema: S;
  readonly create: (params: StandardSchemaV1.InferOutput<S>) => Out;
  readonly [extra: string]: unknown;
}

// `any`: a record holds entries of different schemas, and `create`'s parameter is contravariant.
// biome-ignore lint/suspicious/noExplicitAny: see above
export type EntryRecord = Readonly<Record<string, Entry<any, unknown>>>;

/** A plugin: a plain, versioned object. Every kind is optional. */
export interface Plugin {
  readonly name: string;
  readonly version: string;
  /** Semver range of the plugin API this plugin was written against, e.g. "^1". */
  readonly apiVersion: string;
  readonly description?: string;
  readonly groups?: EntryRecord;
  readonly reps?: EntryRecord;
  readonly layers?: EntryRecord;
  readonly strategies?: EntryRecord;
  readonly tasks?: EntryRecord;
  readonly backends?: EntryRecord;
}

/**
 * Declares a plugin and keeps its exact type, so that entry names and factory results stay
 * visible to the author's own code and tests.
 */
export function definePlugin<const P extends Plugin>(plugin: P): P {
  return plugin;
}

/** Declares one entry; `create`'s parameter type is inferred from `schema`. */
export function defineEntry<
  S extends ParamSchema,
  Out,
  X extends Record<string, unknown> = Record<never, never>,
>(
  entry: {
    description: string;
    schema: S;
    create: (params: StandardSchemaV1.InferOutput<S>) => Out;
  } & X,
): Entry<S, Out> & X {
  return entry as Entry<S, Out> & X;
}
