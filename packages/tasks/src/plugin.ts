import { defineEntry, definePlugin, z } from "@isotropy/core";
import { approximateTaskEntries } from "./approximate/index.js";
import { breakingTaskEntries } from "./breaking/index.js";
import { inertia } from "./inertia.js";
import { o5Synthetic } from "./o5-synthetic.js";
import { particleInteraction } from "./particle-interaction.js";
import type { Task } from "./task.js";
import { VERSION } from "./version.js";

/** A registry entry for a task: no parameters; `group`, `repIn`, `repOut` are for listings. */
function taskEntry(task: Task) {
  return defineEntry({
    description: task.description,
    schema: z.object({}),
    create: (): Task => task,
    group: task.groupName,
    repIn: task.repIn,
    repOut: task.repOut,
    compatibleGroups: task.compatibleGroups,
  });
}

/** Classic and symmetry-breaking tasks: this package's entries in the Isotropy registry. */
export const plugin = definePlugin({
  name: "@isotropy/tasks",
  version: VERSION,
  apiVersion: "^1",
  description: "Classic and symmetry-breaking tasks",
  tasks: {
    "o5-synthetic": taskEntry(o5Synthetic),
    inertia: taskEntry(inertia),
    "particle-interaction": taskEntry(particleInteraction),
    ...approximateTaskEntries,
    ...breakingTaskEntries,
  },
});
