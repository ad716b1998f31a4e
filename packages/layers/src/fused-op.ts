import * as tf from "@tensorflow/tfjs-core";

/** Whether the active tfjs backend registers every kernel named (core's fused kernels). */
export function activeBackendHas(...kernelNames: string[]): boolean {
  const backend = tf.getBackend();
  return backend !== undefined && kernelNames.every((k) => tf.getKernel(k, backend) !== undefined);
}

/** How a layer calls one of core's fused kernel pairs. */
export interface FusedKernelPair {
  readonly kernel: string;
  readonly gradKernel: string;
  /** The kernels' name for positional input k of `count`. */
  readonly input: (k: number, count: number) => string;
  /** The gradient kernel's name for the upstream gradient ("dy", "dw"). */
  readonly upstream: string;
  /** Whether the gradient kernel also reads the forward inputs (then they are saved). */
  readonly gradReadsInputs: boolean;
  /** Activations [features, batch] (core's `FeatureMajorAttrs`); default batch-major. */
  readonly featureMajor?: boolean;
}

/** The same kernel pair on feature-major activations. */
export function featureMajorPair(pair: FusedKernelPair): FusedKernelPair {
  return { ...pair, featureMajor: true };
}

type FusedFn = (...inputs: tf.Tensor[]) => tf.Tensor;

/** One differentiable function per plan object and kernel pair (a layer builds its plan once). */
const fusedFns = new WeakMap<object, Map<FusedKernelPair, FusedFn>>();

/**
 * `pair.kernel` on `inputs` with attrs `{plan}` (and `featureMajor` when the pair says so),
 * differentiable in every input through `pair.gradKernel` (one gradient per input).
 */
export function runFused(plan: object, pair: FusedKernelPair, inputs: readonly tf.Tensor[]) {
  let fns = fusedFns.get(plan);
  if (!fns) {
    fns = new Map();
    fusedFns.set(plan, fns);
  }
  let f = fns.get(pair);
  if (!f) {
    // The plan is not a tfjs attribute type; kernels read it as given.
    const attrs = (pair.featureMajor
      ? { plan, featureMajor: true }
      : { plan }) as unknown as tf.NamedAttrMap;
    const named = (ts: readonly tf.Tensor[]) =>
      Object.fromEntries(ts.map((t, k) => [pair.input(k, ts.length), t]));
    const n = inputs.length;
    f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
      const ins = args.slice(0, n) as tf.Tensor[];
      // Saving a tensor clones it (a kernel call and a tensor each); a variable outlives the
      // step's scopes, so the gradient reads it where it is and only the others are saved.
      const inPlace = ins.map((t) => t instanceof tf.Variable);
      const kept = pair.gradReadsInputs ? ins.filter((_, k) => !inPlace[k]) : [];
      if (kept.length > 0) (args[n] as tf.GradSaveFunc)(kept);
      return {
        value: tf.engine().runKernel(pair.kernel, named(ins), attrs) as tf.Tensor,
        gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
          let next = 0;
          const inputs = pair.gradReadsInputs
            ? named(ins.map((t, k) => (inPlace[k] ? t : saved[next++]!)))
            : {};
          return tf
            .engine()
            .runKernel(pair.gradKernel, { [pair.upstream]: dy, ...inputs }, attrs) as
            | tf.Tensor
            | tf.Tensor[];
        },
      };
    }) as unknown as FusedFn;
    fns.set(pair, f);
  }
  return f(...inputs);
}
