import { InvalidArgumentError } from "@isotropy/core";
import type { Task } from "./task.js";

/**
 * Throws `InvalidArgumentError` unless `group` (by its canonical name, e.g. a parsed group's
 * `name`) is one of `task.compatibleGroups`; the message names the task, the groups that fit,
 * and the given group with its dimension.
 */
export function checkTaskGroup(
  task: Task,
  group: { readonly name: string; readonly d?: number },
): void {
  if (task.compatibleGroups.includes(group.name)) return;
  const acting = group.d === undefined ? "" : ` (acting on R^${group.d})`;
  throw new InvalidArgumentError(
    `Task "${task.name}" (${task.repIn} -> ${task.repOut}) fits the groups ` +
      `${task.compatibleGroups.join(", ")}; got ${group.name}${acting}.`,
  );
}
