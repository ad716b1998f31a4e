import { BackendUnavailableError } from "@isotropy/core";

/** Why a GPU device went away (`GPUDeviceLostInfo`). */
export interface DeviceLoss {
  /** `destroyed` (by code) or `unknown` (driver reset, GPU removed, out of memory...). */
  readonly reason: string;
  readonly message: string;
}

/**
 * The WebGPU device was lost while the backend was in use. Every later kernel and every pending
 * or later read on that device throws this instead of hanging; selecting the backend again
 * (`selectBackend(registry, "webgpu")`) creates a fresh device.
 */
export class DeviceLostError extends BackendUnavailableError {
  readonly loss: DeviceLoss;

  constructor(loss: DeviceLoss) {
    super(
      "webgpu",
      `the GPU device was lost (${loss.reason}${loss.message ? `: ${loss.message}` : ""}); tensors on it are gone, select the backend again for a fresh device`,
    );
    this.loss = loss;
  }
}

/**
 * A synchronous read (`dataSync`, `arraySync`, or tfjs moving a tensor to another backend)
 * of data that lives on the GPU, where the platform cannot do one: tfjs-backend-webgpu reads
 * synchronously through `OffscreenCanvas`, which Node lacks. Use `await tensor.data()`.
 */
export class SyncReadUnsupportedError extends BackendUnavailableError {
  constructor() {
    super(
      "webgpu",
      "synchronous reads of GPU data (dataSync, arraySync, moving a tensor to another backend) need OffscreenCanvas, which this platform lacks; read with `await tensor.data()` instead",
    );
  }
}

type Listener = (loss: DeviceLoss) => void;
const listeners = new Set<Listener>();
let lastLoss: DeviceLoss | null = null;

/** Calls `listener` whenever the backend's device is lost; returns the unsubscribe function. */
export function onDeviceLost(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The last device loss seen in this process (`null`: none). */
export function lastDeviceLoss(): DeviceLoss | null {
  return lastLoss;
}

/** Records a loss and tells the listeners (a throwing listener never stops the others). */
export function reportDeviceLoss(loss: DeviceLoss): void {
  lastLoss = loss;
  for (const l of listeners) {
    try {
      l(loss);
    } catch {
      // A listener's failure is its own business.
    }
  }
}
