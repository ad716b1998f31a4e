import * as tf from "@tensorflow/tfjs-core";

/** One kernel's share of a step: calls and wall milliseconds per step. */
export interface KernelTime {
  readonly kernel: string;
  readonly calls: number;
  readonly ms: number;
}

/** Where a step's time went: per kernel, and the rest (tape, JS, allocation outside kernels). */
export interface KernelBreakdown {
  readonly stepMs: number;
  readonly kernelsMs: number;
  readonly outsideKernelsMs: number;
  /** Kernels by time, largest first. */
  readonly kernels: readonly KernelTime[];
}

/**
 * Runs `step` `reps` times (after one warm-up) with every kernel of the active backend wrapped in
 * a wall-clock timer, and restores the kernels afterwards. Unlike `tf.profile` this keeps the
 * backend's normal memory behaviour and times the gradient's kernels too. Kernels nested in
 * another (a backend kernel calling a registered one) count in both.
 */
export function kernelBreakdown(step: () => void, reps: number): KernelBreakdown {
  const backend = tf.getBackend();
  const configs = tf.getKernelsForBackend(backend);
  const acc = new Map<string, { calls: number; ms: number }>();
  let counting = false;
  const wrap = (cfg: tf.KernelConfig): tf.KernelConfig => ({
    ...cfg,
    kernelFunc: (args) => {
      if (!counting) return cfg.kernelFunc(args);
      const t0 = performance.now();
      try {
        return cfg.kernelFunc(args);
      } finally {
        const e = acc.get(cfg.kernelName) ?? { calls: 0, ms: 0 };
        e.calls++;
        e.ms += performance.now() - t0;
        acc.set(cfg.kernelName, e);
      }
    },
  });
  const swap = (to: (cfg: tf.KernelConfig) => tf.KernelConfig) => {
    for (const cfg of configs) {
      tf.unregisterKernel(cfg.kernelName, backend);
      tf.registerKernel(to(cfg));
    }
  };
  swap(wrap);
  try {
    step();
    counting = true;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) step();
    const stepMs = (performance.now() - t0) / reps;
    const kernels = [...acc]
      .map(([kernel, e]) => ({ kernel, calls: e.calls / reps, ms: e.ms / reps }))
      .sort((a, b) => b.ms - a.ms);
    const kernelsMs = kernels.reduce((s, k) => s + k.ms, 0);
    return { stepMs, kernelsMs, outsideKernelsMs: stepMs - kernelsMs, kernels };
  } finally {
    swap((cfg) => cfg);
  }
}
