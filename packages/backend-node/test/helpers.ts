import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { registerNodeBackend } from "../src/index.js";

/**
 * Registers the `node` backend; throws (failing every test of the file, never skipping) when
 * the addon is unavailable.
 */
export async function requireNode(): Promise<void> {
  await registerNodeBackend();
  await tf.setBackend("node");
  await tf.ready();
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

/** Runs `fn` with `backend` current and returns its result's shape and values. */
export async function on(
  backend: string,
  fn: () => tf.Tensor,
): Promise<{ shape: number[]; data: Float32Array }> {
  await tf.setBackend(backend);
  const t = tf.tidy(fn);
  const data = (await t.data()) as Float32Array;
  const shape = t.shape;
  t.dispose();
  return { shape, data: Float32Array.from(data) };
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

/** A tensor's values, as a float32 copy. */
export const read = (t: tf.Tensor): Float32Array => Float32Array.from(t.dataSync());
