import { defineEntry, z } from "@isotropy/core";
import { type AddonState, envThreads, loadAddon, type NativeAddon } from "./addon.js";
import { fastKernels } from "./fast-kernels.js";
import { kernelOptions, nativeKernels } from "./kernels.js";

/** The backend's name in TensorFlow.js. */
export const NODE_BACKEND = "node";

/**
 * Registers the tfjs backend `node` (idempotent): every kernel of the cpu backend, re-registered
 * under `node` on a MathBackendCPU of its own, with BatchMatMul and _FusedMatMul replaced by the
 * addon's SGEMM and Transpose/Add/Sub/Multiply by stride-loop kernels. Throws when the addon is unavailable.
 */
export async function registerNodeBackend(root?: string): Promise<NativeAddon> {
  const state = loadAddon(root);
  if (!state.ok) throw new Error(state.reason);
  const tf = await import("@tensorflow/tfjs-core");
  const { MathBackendCPU } = await import("@tensorflow/tfjs-backend-cpu");
  if (tf.findBackendFactory(NODE_BACKEND) === null) {
    const replaced = [...nativeKernels(state.addon, NODE_BACKEND), ...fastKernels(NODE_BACKEND)];
    const names = new Set(replaced.map((k) => k.kernelName));
    for (const k of tf.getKernelsForBackend("cpu")) {
      if (!names.has(k.kernelName)) tf.registerKernel({ ...k, backendName: NODE_BACKEND });
    }
    for (const k of replaced) tf.registerKernel(k);
    // Priority 0: never chosen by tfjs on its own; the registry (or setBackend) picks it.
    tf.registerBackend(NODE_BACKEND, () => new MathBackendCPU(), 0);
  }
  return state.addon;
}

/**
 * Sets the thread count (OpenBLAS and the addon's own loops) and whether the bundled SGEMM is
 * used even when OpenBLAS is linked. Returns the addon's info afterwards.
 */
export function configureNodeBackend(
  options: { threads?: number; bundled?: boolean },
  root?: string,
): ReturnType<NativeAddon["info"]> {
  const state = loadAddon(root);
  if (!state.ok) throw new Error(state.reason);
  if (options.threads !== undefined) state.addon.setThreads(options.threads);
  if (options.bundled !== undefined) kernelOptions.bundled = options.bundled;
  return state.addon.info();
}

function status(state: AddonState) {
  if (!state.ok) return { available: false, reason: state.reason };
  const info = state.addon.info();
  return {
    available: true,
    capabilities: {
      blas: kernelOptions.bundled ? "bundled" : info.blas,
      threads: info.threads,
      bundledIsa: info.bundledIsa,
    },
  };
}

/**
 * The registry entry of the native backend, loading the addon from `root` (the package by
 * default; tests point it elsewhere to exercise the unavailable path).
 */
export function createNodeBackendEntry(root?: string) {
  return defineEntry({
    description:
      "Native Node backend: tfjs cpu kernels with BatchMatMul/_FusedMatMul on an N-API SGEMM (OpenBLAS or bundled)",
    schema: z.object({
      /** Threads for BLAS and the addon's loops (default: ISOTROPY_NODE_THREADS, else all cores). */
      threads: z.number().int().min(1).optional(),
    }),
    // Below wasm (20) for now: its matMul is 6x wasm's, but an EMLP training step, dominated by
    // the cpu backend's JavaScript kernels (PadV2, Add, ScatterNd, Sum), is still 3.5x slower
    // than wasm's (954 vs 270 ms). Raise it above wasm once those kernels are native.
    priority: { node: 15 },
    probe: async () => status(loadAddon(root)),
    create: async ({ threads }) => {
      const tf = await import("@tensorflow/tfjs-core");
      const addon = await registerNodeBackend(root);
      const n = threads ?? envThreads();
      if (n !== undefined) addon.setThreads(n);
      const ok = await tf.setBackend(NODE_BACKEND);
      await tf.ready();
      if (!ok) throw new Error("tfjs could not initialise the node backend");
      return NODE_BACKEND;
    },
  });
}

/** The native backend's registry entry (`backends: { node }`). */
export const nodeBackend = createNodeBackendEntry();
