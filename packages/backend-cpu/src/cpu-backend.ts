import { defineEntry, z } from "@isotropy/core";

/**
 * TensorFlow.js's CPU backend (plain JavaScript): slow, but runs everywhere and is the reference
 * every other backend is checked against. Lowest priority, so `auto` takes it last.
 */
export const cpuBackend = defineEntry({
  description: "TensorFlow.js CPU backend (plain JavaScript): the reference and the fallback",
  schema: z.object({}),
  priority: { node: 1, browser: 1 },
  probe: async () => {
    await import("@tensorflow/tfjs-backend-cpu");
    return { available: true, capabilities: { threads: 1, simd: false } };
  },
  create: async () => {
    const tf = await import("@tensorflow/tfjs-core");
    await import("@tensorflow/tfjs-backend-cpu");
    await tf.setBackend("cpu");
    await tf.ready();
    return "cpu";
  },
});
