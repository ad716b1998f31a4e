import * as tf from "@tensorflow/tfjs-core";

/** Swaps the last two axes (a no-op view of the data order is not available in tfjs). */
function swapLast(t: tf.Tensor): tf.Tensor {
  const r = t.rank;
  const perm = Array.from({ length: r }, (_, i) => i);
  perm[r - 2] = r - 1;
  perm[r - 1] = r - 2;
  return tf.transpose(t, perm);
}

/**
 * A plain product. On wasm, batched products with an inner size of at most 4 go elementwise
 * (broadcast multiply, then sum): its batched kernel costs about 8 ns per output element on top
 * of the arithmetic, several times more on such shapes (on cpu it is the other way round).
 */
function product(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  if (a.rank === 3 && a.shape[2]! <= 4 && tf.getBackend() === "wasm")
    return elementwiseProduct(a, b);
  return tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D);
}

/** a [n, p, k] x b [n, k, q] as sum_k a[n, p, k, 1] * b[n, 1, k, q]. */
export function elementwiseProduct(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const [n, p, k] = a.shape as [number, number, number];
  const q = b.shape[2]!;
  return tf.sum(tf.mul(tf.reshape(a, [n, p, k, 1]), tf.reshape(b, [n, 1, k, q])), 2);
}

/**
 * Backends whose products take transposed operands at no extra cost (node hands the flags to
 * SGEMM): there an explicit transpose would only add a pass over the data.
 */
const TRANSPOSING_BACKENDS = new Set(["node"]);

/**
 * a @ b (rank 2 or batched rank 3, same batch) with a gradient that transposes explicitly and
 * then multiplies plainly (`product`). tfjs's own gradient asks for transposed products, which some backends
 * run far slower than plain ones (on wasm about 13x for 500 x 384 x 384), so that the backward
 * pass, not the forward, would set the step time. On `TRANSPOSING_BACKENDS` it asks for them.
 */
export const matMul = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const a = args[0] as tf.Tensor;
  const b = args[1] as tf.Tensor;
  const save = args[2] as tf.GradSaveFunc;
  save([a, b]);
  return {
    value: tf.matMul(a as tf.Tensor2D, b as tf.Tensor2D),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [sa, sb] = saved as [tf.Tensor, tf.Tensor];
      if (TRANSPOSING_BACKENDS.has(tf.getBackend())) {
        return [
          tf.matMul(dy as tf.Tensor2D, sb as tf.Tensor2D, false, true),
          tf.matMul(sa as tf.Tensor2D, dy as tf.Tensor2D, true, false),
        ];
      }
      return [product(dy, swapLast(sb)), product(swapLast(sa), dy)];
    },
  };
}) as <T extends tf.Tensor>(a: T, b: T) => T;

/**
 * x -> x @ b for a constant b (a basis, a selection matrix): the gradient is dy @ b^T only, with
 * b^T formed once here. A plain product would also form the unused gradient of b on every step.
 * The caller keeps b alive; the returned function's `dispose` frees b^T.
 */
export function constantRightProduct(b: tf.Tensor2D): {
  apply: (x: tf.Tensor2D) => tf.Tensor2D;
  dispose: () => void;
} {
  const bT = tf.keep(tf.transpose(b)) as tf.Tensor2D;
  const apply = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.matMul(args[0] as tf.Tensor2D, b),
    gradFunc: (dy: tf.Tensor) => [tf.matMul(dy as tf.Tensor2D, bT)],
  })) as (x: tf.Tensor2D) => tf.Tensor2D;
  return { apply, dispose: () => bT.dispose() };
}
