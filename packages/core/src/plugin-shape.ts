import { z } from "zod";
import { InvalidPluginError } from "./errors.js";
import { ENTRY_KINDS, type Plugin } from "./plugin.js";

const isFunction = (v: unknown) => typeof v === "function";
const isStandardSchema = (v: unknown) =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as { "~standard"?: { validate?: unknown } })["~standard"]?.validate === "function";

const entryShape = z.object({
  description: z
    .string()
    .min(1, "a description is required")
    .refine((s) => !s.includes("\n"), "the description must be one line"),
  schema: z.custom(isStandardSchema, "must be a Standard Schema (zod, valibot, ...)"),
  create: z.custom(isFunction, "must be a function"),
});

const entries = z.record(z.string(), entryShape).superRefine((record, ctx) => {
  for (const name of Object.keys(record)) {
    if (!/^[^\s/]+$/.test(name)) {
      ctx.addIssue({
        code: "custom",
        path: [name],
        message: "entry names contain no whitespace and no '/'",
      });
    }
  }
});

const pluginShape = z.object({
  name: z
    .string()
    .regex(/^(@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, "must be an npm package name"),
  version: z.string().min(1),
  apiVersion: z.string().min(1),
  description: z.string().optional(),
  ...Object.fromEntries(ENTRY_KINDS.map((k) => [k, entries.optional()] as const)),
});

/** Checks a plugin's shape; throws InvalidPluginError naming the first bad field. */
export function assertPluginShape(plugin: unknown): asserts plugin is Plugin {
  const r = pluginShape.safeParse(plugin);
  if (r.success) return;
  const who =
    typeof plugin === "object" && plugin !== null && typeof (plugin as Plugin).name === "string"
      ? `Plugin "${(plugin as Plugin).name}"`
      : "Plugin";
  const issues = r.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`)
    .join("; ");
  throw new InvalidPluginError(`${who} is malformed: ${issues}.`);
}
