export {
  type AddonState,
  loadAddon,
  type NativeAddon,
  type NativeInfo,
  PACKAGE_ROOT,
} from "./addon.js";
export { batchOffsets, type LinearOrder } from "./kernels.js";
export {
  configureNodeBackend,
  createNodeBackendEntry,
  NODE_BACKEND,
  nodeBackend,
  registerNodeBackend,
} from "./node-backend.js";
export { plugin } from "./plugin.js";
export { VERSION } from "./version.js";
