import { plugin as backendCpu } from "@isotropy/backend-cpu";
import { type BackendStatus, createRegistry } from "@isotropy/core";
import { plugin, webgpuBackend } from "../src/index.js";

/** A registry with cpu (the reference) and webgpu. */
export const registry = createRegistry().use(backendCpu).use(plugin);

/** The probe's answer here, once per test file. */
export const status: BackendStatus = await webgpuBackend.probe();

/**
 * Whether the GPU tests skip: only when the probe says unavailable AND ISOTROPY_REQUIRE_WEBGPU
 * is unset. With it set (CI on a machine where the route was verified), an unavailable adapter
 * fails the tests with the probe's reason instead of skipping them.
 */
export const skipGpu = !status.available && !process.env.ISOTROPY_REQUIRE_WEBGPU;

/** Throws the probe's reason when the adapter is required but unavailable. */
export function requireAdapter(): void {
  if (!status.available) {
    throw new Error(`ISOTROPY_REQUIRE_WEBGPU is set but webgpu is unavailable: ${status.reason}`);
  }
}

/** Deterministic values in [-1, 1). */
export function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** max |x - y| / max(max |y|, 1e-6). */
export function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let e = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    e = Math.max(e, Math.abs((x[i] as number) - (y[i] as number)));
    m = Math.max(m, Math.abs(y[i] as number));
  }
  if (Number.isNaN(e)) return Number.POSITIVE_INFINITY;
  return e / Math.max(m, 1e-6);
}
