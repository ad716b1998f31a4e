import { createRegistry } from "@isotropy/core";
import { type Group, plugin as groupsPlugin } from "@isotropy/groups";

const registry = createRegistry().use(groupsPlugin);

/** A group from the registry by name and positional arguments, e.g. G("SO", 3). */
export function G(name: string, ...args: unknown[]): Group {
  return registry.create<Group>("groups", name, args);
}

export function bell(n: number): number {
  // Bell triangle
  let row = [1];
  for (let i = 1; i <= n; i++) {
    const next = [row.at(-1)!];
    for (const v of row) next.push(next.at(-1)! + v);
    row = next;
  }
  return row[0]!;
}
