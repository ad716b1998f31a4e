import { defineEntry, z } from "@isotropy/core";
import type { KernelConfig } from "@tensorflow/tfjs-core";
import { adamKernels } from "./adam.js";
import { type AddonState, envThreads, loadAddon, type NativeAddon } from "./addon.js";
import { assembleKernels } from "./assemble.js";
import { bilinearKernels } from "./bilinear.js";
import { concatKernels } from "./concat.js";
import { elementwiseKernels } from "./elementwise.js";
import { gateKernels } from "./gate.js";
import { gatherKernels } from "./gather.js";
import { kernelOptions, type LinearOrder, nativeKernels } from "./kernels.js";
import { linearKernels } from "./linear.js";
import { padKernels } from "./pad.js";
import { reduceKernels } from "./reduce.js";
import { scatterKernels } from "./scatter.js";
import { sliceKernels } from "./slice.js";
import { tileKernels } from "./tile.js";
import { transposeKernels } from "./transpose.js";

/** The backend's name in TensorFlow.js. */
export const NODE_BACKEND = "node";

/**
 * The kernels of `node` that replace the cpu backend's: BatchMatMul/_FusedMatMul on the addon's
 * SGEMM, and the kernels an EMLP training step spends its time in (Add/Sub/Multiply/RealDiv,
 * AddN, Sigmoid, Sum, ScatterNd, PadV2, Transpose) on the addon's loops, and Slice, GatherV2,
 * Concat and Tile as typed-array copies. A family is left out
 * when the loaded addon lacks its function (a build older than this code).
 */
export function replacedKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  const has = (f: keyof NativeAddon) => typeof addon[f] === "function";
  return [
    ...nativeKernels(addon, backendName),
    ...(has("binary") && has("addN") && has("sigmoid")
      ? elementwiseKernels(addon, backendName)
      : []),
    ...(has("sum") ? reduceKernels(addon, backendName) : []),
    ...(has("scatterNd") ? scatterKernels(addon, backendName) : []),
    ...(has("padV2") ? padKernels(addon, backendName) : []),
    ...(has("transpose") ? transposeKernels(addon, backendName) : []),
    ...sliceKernels(backendName),
    ...gatherKernels(backendName),
    ...concatKernels(backendName),
    ...tileKernels(backendName),
  ];
}

/**
 * Kernels of `node` that the cpu backend lacks: core's fused layer kernels (BILINEAR_KERNEL,
 * GATE_KERNEL, ASSEMBLE_KERNEL, LINEAR_KERNEL and their gradients), which layers call instead of
 * their composite when the backend has them, and ADAM_UPDATE_KERNEL, which train's Adam calls.
 */
export function fusedKernels(addon: NativeAddon, backendName: string): KernelConfig[] {
  const has = (f: keyof NativeAddon) => typeof addon[f] === "function";
  return [
    ...(has("bilinearPlan") && has("bilinear") && has("bilinearGrad")
      ? bilinearKernels(addon, backendName)
      : []),
    ...(has("gate") && has("gateGrad") ? gateKernels(addon, backendName) : []),
    ...(has("assemble") && has("assembleGrad") ? assembleKernels(addon, backendName) : []),
    ...(has("linearPlan") && has("linear") && has("linearGrad")
      ? linearKernels(addon, backendName)
      : []),
    ...(has("adamUpdate") ? adamKernels(addon, backendName) : []),
  ];
}

/**
 * Registers the tfjs backend `node` (idempotent): every kernel of the cpu backend, re-registered
 * under `node` on a MathBackendCPU of its own, with the kernels of `replacedKernels` in place of
 * the cpu ones, plus `fusedKernels`. Throws when the addon is unavailable.
 */
export async function registerNodeBackend(root?: string): Promise<NativeAddon> {
  const state = loadAddon(root);
  if (!state.ok) throw new Error(state.reason);
  const tf = await import("@tensorflow/tfjs-core");
  const { MathBackendCPU } = await import("@tensorflow/tfjs-backend-cpu");
  if (tf.findBackendFactory(NODE_BACKEND) === null) {
    const own = [
      ...replacedKernels(state.addon, NODE_BACKEND),
      ...fusedKernels(state.addon, NODE_BACKEND),
    ];
    const names = new Set(own.map((k) => k.kernelName));
    for (const k of tf.getKernelsForBackend("cpu")) {
      if (!names.has(k.kernelName)) tf.registerKernel({ ...k, backendName: NODE_BACKEND });
    }
    for (const k of own) tf.registerKernel(k);
    // Priority 0: never chosen by tfjs on its own; the registry (or setBackend) picks it.
    tf.registerBackend(NODE_BACKEND, () => quietCpuBackend(new MathBackendCPU()), 0);
  }
  return state.addon;
}

/**
 * A MathBackendCPU prints, on its first write under Node, advice to install tfjs-node; under
 * `node` that advice is wrong (this is the native backend), so its once-only flag is spent here.
 */
function quietCpuBackend<B extends object>(backend: B): B {
  (backend as { firstUse?: boolean }).firstUse = false;
  return backend;
}

/**
 * Sets the thread count (OpenBLAS and the addon's own loops), whether the bundled SGEMM is used
 * even when OpenBLAS is linked, whether the fused bilinear kernels keep the plan's contraction
 * orders, and one order for every pair of the fused linear kernels (defaults: the addon picks
 * per pair, forward and gradient apart). Returns the addon's info afterwards.
 */
export function configureNodeBackend(
  options: {
    threads?: number;
    bundled?: boolean;
    bilinearPlanOrder?: boolean;
    linearOrder?: LinearOrder;
  },
  root?: string,
): ReturnType<NativeAddon["info"]> {
  const state = loadAddon(root);
  if (!state.ok) throw new Error(state.reason);
  if (options.threads !== undefined) state.addon.setThreads(options.threads);
  if (options.bundled !== undefined) kernelOptions.bundled = options.bundled;
  if (options.bilinearPlanOrder !== undefined) {
    kernelOptions.bilinearPlanOrder = options.bilinearPlanOrder;
  }
  if (options.linearOrder !== undefined) {
    if (!["auto", "basis", "coefficients", "dense"].includes(options.linearOrder))
      throw new Error(
        `configureNodeBackend: linearOrder must be "auto", "basis", "coefficients" or "dense", got ${String(options.linearOrder)}`,
      );
    kernelOptions.linearOrder = options.linearOrder;
  }
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
      "Native Node backend: tfjs cpu kernels with the hot ones native (N-API): matMul on SGEMM (OpenBLAS or bundled), elementwise, reductions, scatter, pad, transpose, the fused bilinear layer",
    schema: z.object({
      /** Threads for BLAS and the addon's loops (default: ISOTROPY_NODE_THREADS, else all cores but one). */
      threads: z.number().int().min(1).optional(),
    }),
    // Above wasm (20): with the EMLP step's kernels native (elementwise, Sum, ScatterNd, PadV2,
    // Transpose, small batched matMul) its EMLP(384) step measured about 1.8x faster than
    // wasm's on 2 cores (~145 vs ~255 ms), its MLP step about 2x.
    priority: { node: 30 },
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
