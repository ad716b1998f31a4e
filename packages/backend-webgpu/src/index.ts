export {
  type DeviceLoss,
  DeviceLostError,
  lastDeviceLoss,
  onDeviceLost,
  SyncReadUnsupportedError,
} from "./device-lost.js";
export {
  type AdapterReport,
  describeAdapter,
  findAdapter,
  findGpu,
  type GpuFound,
  type GpuRoute,
} from "./gpu.js";
export { plugin } from "./plugin.js";
export { VERSION } from "./version.js";
export {
  hasSyncReads,
  registerWebgpuBackend,
  WEBGPU_BACKEND,
  type WebgpuOptions,
  webgpuBackend,
} from "./webgpu-backend.js";
