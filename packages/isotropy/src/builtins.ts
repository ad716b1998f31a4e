import { plugin as backendCpu } from "@isotropy/backend-cpu";
import { plugin as backendNode } from "@isotropy/backend-node";
import { plugin as backendWasm } from "@isotropy/backend-wasm";
import { plugin as backendWebgpu } from "@isotropy/backend-webgpu";
import { defaultRegistry, type Plugin, type Registry } from "@isotropy/core";
import { plugin as groups } from "@isotropy/groups";
import { plugin as layers } from "@isotropy/layers";
import { plugin as relax } from "@isotropy/relax";
import { plugin as reps } from "@isotropy/reps";
import { plugin as tasks } from "@isotropy/tasks";

/** Every plugin that ships with Isotropy, in dependency order. */
export const builtinPlugins: readonly Plugin[] = [
  groups,
  reps,
  layers,
  relax,
  tasks,
  backendCpu,
  backendWasm,
  backendWebgpu,
  backendNode,
];

/** Registers the built-in plugins (through the same door as any third-party plugin). */
export function registerBuiltins(registry: Registry = defaultRegistry): Registry {
  for (const p of builtinPlugins) registry.use(p);
  return registry;
}

// Importing `isotropy` fills the default registry: batteries included.
registerBuiltins(defaultRegistry);
