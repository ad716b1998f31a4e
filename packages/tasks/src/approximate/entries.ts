import { defineEntry, z } from "@isotropy/core";
import type { Task } from "../task.js";
import { MODIFIED_INERTIA_STRENGTH, modifiedInertiaTask } from "./modified-inertia.js";
import { SPRING_GRAVITY_STRENGTH, springGravityTask } from "./spring-gravity.js";

/** The approximately symmetric tasks, as `tasks` entries of the registry. */
export const approximateTaskEntries = {
  "modified-inertia": defineEntry({
    description:
      "Inertia of 5 point masses plus strength * (I e_z) e_z^T, which breaks O(3) (RPP paper; strength 0.3)",
    schema: z.object({ strength: z.number().finite().default(MODIFIED_INERTIA_STRENGTH) }),
    create: (params): Task => modifiedInertiaTask(params),
    group: "O(3)",
    repIn: "5*Scalar + 5*V",
    repOut: "T(2)",
    compatibleGroups: ["O(3)", "SO(3)"],
  }),
  "spring-gravity": defineEntry({
    description:
      "Potential energy of a ring of 4 unit springs in a uniform field along z (strength 0.5): O(3) broken to O(2)",
    schema: z.object({ strength: z.number().finite().default(SPRING_GRAVITY_STRENGTH) }),
    create: (params): Task => springGravityTask(params),
    group: "O(3)",
    repIn: "4*Scalar + 4*V",
    repOut: "Scalar",
    compatibleGroups: ["O(3)", "SO(3)"],
  }),
};
