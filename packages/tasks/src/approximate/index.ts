export { approximateTaskEntries } from "./entries.js";
export {
  MODIFIED_INERTIA_STRENGTH,
  type ModifiedInertiaOptions,
  modifiedInertia,
  modifiedInertiaTask,
  sampleMassesAndPositions,
} from "./modified-inertia.js";
export {
  SPRING_GRAVITY_STRENGTH,
  type SpringGravityOptions,
  springGravity,
  springGravityTask,
} from "./spring-gravity.js";
