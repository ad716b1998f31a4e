/**
 * The browser build's plugin: the native addon cannot load in a browser, so the `node` entry is
 * offered nowhere and says why (and the bundle holds no node: imports).
 */
import { defineEntry, definePlugin, z } from "@isotropy/core";
import { VERSION } from "./version.js";

/** The backend's name in TensorFlow.js. */
export const NODE_BACKEND = "node";

const REASON = "the native backend is an N-API addon: it runs in Node only";

/** The `node` entry in a browser: never offered, always unavailable. */
export const nodeBackend = defineEntry({
  description: "Native Node backend (unavailable in browsers)",
  schema: z.object({ threads: z.number().int().min(1).optional() }),
  priority: {},
  probe: async () => ({ available: false, reason: REASON }),
  create: async (): Promise<string> => {
    throw new Error(REASON);
  },
});

export const plugin = definePlugin({
  name: "@isotropy/backend-node",
  version: VERSION,
  apiVersion: "^1",
  description: "Native Node backend (N-API SGEMM); unavailable in browsers",
  backends: { node: nodeBackend },
});
