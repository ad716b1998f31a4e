import { BackendUnavailableError, defineEntry, z } from "@isotropy/core";
import type { WebGPUBackend } from "@tensorflow/tfjs-backend-webgpu";
import { fixBatchMatMulBroadcast } from "./batch-matmul-broadcast.js";
import {
  type DeviceLoss,
  DeviceLostError,
  reportDeviceLoss,
  SyncReadUnsupportedError,
} from "./device-lost.js";
import {
  type AdapterReport,
  DEFAULT_TIMEOUT_MS,
  exposeNavigatorGpu,
  findGpu,
  type GpuAdapter,
  type GpuDevice,
  type GpuFound,
  within,
} from "./gpu.js";

/** The backend's name in TensorFlow.js. */
export const WEBGPU_BACKEND = "webgpu";

/** Whether tfjs-backend-webgpu can read GPU data synchronously here (it needs OffscreenCanvas). */
export function hasSyncReads(): boolean {
  return typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas === "function";
}

export interface WebgpuOptions {
  readonly powerPreference?: "low-power" | "high-performance";
  /** Milliseconds to wait for an adapter and a device (default 10 000). */
  readonly timeoutMs?: number;
}

interface Guarded {
  readonly loss: DeviceLoss | null;
  readonly adapterReport: AdapterReport;
}

type BackendClass = typeof WebGPUBackend;
let guardedClass:
  | (new (
      device: GpuDevice,
      adapter: GpuAdapter,
      report: AdapterReport,
    ) => WebGPUBackend & Guarded)
  | undefined;

/**
 * tfjs's WebGPUBackend with the device's `lost` promise hooked: after a loss, kernels and reads
 * throw DeviceLostError (a pending read rejects with it instead of waiting forever), and a sync
 * read that the platform cannot do throws SyncReadUnsupportedError instead of a ReferenceError.
 * Disposing it destroys the device it owns.
 */
function makeGuardedClass(Base: BackendClass) {
  return class IsotropyWebGPUBackend extends Base implements Guarded {
    loss: DeviceLoss | null = null;
    readonly adapterReport: AdapterReport;
    private ownDispose = false;
    private readonly gpuDevice: GpuDevice;
    private readonly lostSignal: Promise<never>;

    constructor(device: GpuDevice, adapter: GpuAdapter, report: AdapterReport) {
      // tfjs types these with @webgpu/types; ours are the structural subset used here.
      super(device as never, adapter.info as never);
      this.adapterReport = report;
      this.gpuDevice = device;
      this.lostSignal = device.lost.then((info) => {
        if (this.ownDispose) return new Promise<never>(() => {});
        const loss = {
          reason: String(info?.reason ?? "unknown"),
          message: String(info?.message ?? ""),
        };
        this.loss = loss;
        reportDeviceLoss(loss);
        throw new DeviceLostError(loss);
      });
      this.lostSignal.catch(() => {});
    }

    private check(): void {
      if (this.loss) throw new DeviceLostError(this.loss);
    }

    override read(dataId: object) {
      this.check();
      return Promise.race([super.read(dataId), this.lostSignal]);
    }

    override readSync(dataId: object) {
      this.check();
      if (!hasSyncReads()) {
        const data = this.tensorMap.get(dataId) as { values?: unknown; dtype?: string } | undefined;
        if (data && data.values == null && data.dtype !== "string")
          throw new SyncReadUnsupportedError();
      }
      return super.readSync(dataId);
    }

    override runWebGPUProgram(...args: Parameters<WebGPUBackend["runWebGPUProgram"]>) {
      this.check();
      return super.runWebGPUProgram(...args);
    }

    override dispose(): void {
      super.dispose();
      if (!this.ownDispose) {
        this.ownDispose = true;
        this.gpuDevice.destroy();
      }
    }
  };
}

/** tfjs's current `webgpu` backend if it is ours and its device is alive. */
async function liveBackend(): Promise<(WebGPUBackend & Guarded) | null> {
  const tf = await import("@tensorflow/tfjs-core");
  if (tf.findBackendFactory(WEBGPU_BACKEND) === null) return null;
  const b = tf.findBackend(WEBGPU_BACKEND);
  return guardedClass && b instanceof guardedClass && b.loss === null ? b : null;
}

/**
 * Registers the tfjs backend `webgpu` on a device of its own (idempotent while the device
 * lives; a lost device is replaced by a fresh one) and returns the adapter's description.
 * Throws BackendUnavailableError with the reason when no adapter or device can be had.
 */
export async function registerWebgpuBackend(options: WebgpuOptions = {}): Promise<AdapterReport> {
  const live = await liveBackend();
  if (live) return live.adapterReport;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const found = await findGpu({ ...options, timeoutMs });
  if (!found.ok) throw new BackendUnavailableError(WEBGPU_BACKEND, found.reason);
  const { route } = found;
  const adapter = await within(
    route.gpu.requestAdapter({ ...route.options }),
    timeoutMs,
    "requestAdapter",
  ).catch(() => null);
  if (!adapter)
    throw new BackendUnavailableError(
      WEBGPU_BACKEND,
      `${route.name} gave no adapter the second time`,
    );
  const limits = adapter.limits;
  const device = await within(
    adapter.requestDevice({
      // What tfjs-backend-webgpu asks for (base.ts), so that its kernels see the same limits.
      requiredFeatures: adapter.features.has("timestamp-query") ? ["timestamp-query"] : [],
      requiredLimits: {
        maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
        maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
        maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
        maxBufferSize: limits.maxBufferSize,
        maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
        maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup,
      },
    }),
    timeoutMs,
    "requestDevice",
  ).catch((e: unknown) => {
    throw new BackendUnavailableError(
      WEBGPU_BACKEND,
      `${route.name}: requestDevice failed (${e instanceof Error ? e.message : String(e)})`,
    );
  });
  exposeNavigatorGpu(route.gpu);
  const tf = await import("@tensorflow/tfjs-core");
  const { WebGPUBackend: Base } = await import("@tensorflow/tfjs-backend-webgpu");
  const Cls = (guardedClass ??= makeGuardedClass(Base));
  const report = found.adapter;
  // tfjs-backend-webgpu registers its own factory where navigator.gpu exists (browsers); ours
  // replaces it (and a previous one of ours whose device was lost).
  if (tf.findBackendFactory(WEBGPU_BACKEND) !== null) tf.removeBackend(WEBGPU_BACKEND);
  // Priority 0: never chosen by tfjs on its own; the registry (or setBackend) picks it.
  tf.registerBackend(WEBGPU_BACKEND, () => new Cls(device, adapter, report), 0);
  fixBatchMatMulBroadcast(tf, WEBGPU_BACKEND);
  return report;
}

let probed: Promise<GpuFound> | undefined;

/** The adapter found by the first probe in this process (later probes reuse it). */
function probeOnce(): Promise<GpuFound> {
  probed ??= findGpu();
  return probed;
}

/**
 * TensorFlow.js's WebGPU backend. Browsers: `navigator.gpu`. Node: the optional `webgpu`
 * package (Dawn), with its default backends and then OpenGL ES (EGL surfaceless,
 * compatibility feature level). Priority 30 in browsers (above wasm's 20); in Node it is never
 * chosen by `auto` (tfjs cannot read GPU data synchronously there, and on a server it is most
 * often a software rasteriser): request it by name.
 */
export const webgpuBackend = defineEntry({
  description:
    "TensorFlow.js WebGPU backend (navigator.gpu in browsers; Dawn in Node, chosen only when named)",
  schema: z.object({
    powerPreference: z.enum(["low-power", "high-performance"]).optional(),
    /** Milliseconds to wait for an adapter and a device. */
    timeoutMs: z.number().int().min(1).optional(),
  }),
  priority: { browser: 30 },
  probe: async () => {
    const found = await probeOnce();
    if (!found.ok) return { available: false, reason: found.reason };
    return { available: true, capabilities: { ...found.adapter, syncReads: hasSyncReads() } };
  },
  create: async (params: WebgpuOptions) => {
    const tf = await import("@tensorflow/tfjs-core");
    await registerWebgpuBackend(params);
    const ok = await tf.setBackend(WEBGPU_BACKEND);
    await tf.ready();
    if (!ok) throw new BackendUnavailableError(WEBGPU_BACKEND, "tfjs could not initialise it");
    return WEBGPU_BACKEND;
  },
});
