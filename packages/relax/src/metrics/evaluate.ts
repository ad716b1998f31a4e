import type { Module } from "@isotropy/layers";
import * as tf from "@tensorflow/tfjs-core";

/** A model as the metrics see it: a Module (evaluated one row at a time) or a plain function. */
export type ModelLike = Module | ((x: Float64Array) => ArrayLike<number>);

/** f(x) for one input, in float64 (a Module runs in its own precision, without training ctx). */
export function evaluate(f: ModelLike, x: ArrayLike<number>): Float64Array {
  if (typeof f === "function") return Float64Array.from(f(Float64Array.from(x)));
  const out = tf.tidy(() => f.apply(tf.tensor2d(Float32Array.from(x), [1, x.length])));
  const data = Float64Array.from(out.dataSync());
  out.dispose();
  return data;
}
