/** Milliseconds from a monotonic clock where there is one (Node, browsers), else wall time. */
export function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
