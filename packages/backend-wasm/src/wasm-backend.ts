import { defineEntry, z } from "@isotropy/core";

/**
 * TensorFlow.js's WASM backend with SIMD. In Node the `.wasm` files resolve from the package
 * itself; in a bundled web page pass `wasmPaths` (the folder or CDN prefix where the bundler
 * copied `tfjs-backend-wasm*.wasm`). Threads need cross-origin isolation in browsers; tfjs
 * runs single-threaded in Node.
 */
export const wasmBackend = defineEntry({
  description: "TensorFlow.js WASM backend (SIMD; threads in cross-origin-isolated browsers)",
  schema: z.object({
    /** Where the .wasm files are served from (browsers with a bundler). */
    wasmPaths: z.string().optional(),
    /** Worker threads (browsers with cross-origin isolation only). */
    threads: z.number().int().min(1).optional(),
  }),
  priority: { node: 20, browser: 20 },
  probe: async () => {
    const tf = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-wasm");
    if (typeof (globalThis as { WebAssembly?: unknown }).WebAssembly !== "object")
      return { available: false, reason: "no WebAssembly here" };
    const simd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));
    const threads = Boolean(await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT"));
    return { available: true, capabilities: { simd, threads } };
  },
  create: async ({ wasmPaths, threads }) => {
    const tf = await import("@tensorflow/tfjs-core");
    const wasm = await import("@tensorflow/tfjs-backend-wasm");
    if (wasmPaths) wasm.setWasmPaths(wasmPaths);
    if (threads) wasm.setThreadsCount(threads);
    const ok = await tf.setBackend("wasm");
    await tf.ready();
    if (!ok) throw new Error("tfjs could not initialise the wasm backend");
    return "wasm";
  },
});
