import { inertia } from "./inertia.js";
import { o5Synthetic } from "./o5-synthetic.js";
import { particleInteraction } from "./particle-interaction.js";
import type { Task } from "./task.js";

/** emlp's three classic regression tasks, in the order of its table. */
export const CLASSIC_TASKS: readonly Task[] = [o5Synthetic, inertia, particleInteraction];
