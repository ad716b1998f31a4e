import { BackendUnavailableError, selectBackend } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type DeviceLoss,
  DeviceLostError,
  hasSyncReads,
  lastDeviceLoss,
  onDeviceLost,
  SyncReadUnsupportedError,
} from "../src/index.js";
import { registry, requireAdapter, skipGpu, values } from "./helpers.js";

/** The device of tfjs's current webgpu backend (ours keeps it as `gpuDevice`). */
function currentDevice(): { destroy(): void } {
  return (tf.backend() as unknown as { gpuDevice: { destroy(): void } }).gpuDevice;
}

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skipGpu)("a lost GPU device is reported, not hung", () => {
  beforeAll(requireAdapter);

  it("kernels and reads after the loss throw DeviceLostError; a pending read rejects", async () => {
    await selectBackend(registry, "webgpu");
    const seen: DeviceLoss[] = [];
    const off = onDeviceLost((l) => seen.push(l));
    const a = tf.tensor2d(values(257 * 129, 1), [257, 129]);
    const b = tf.tensor2d(values(129 * 65, 2), [129, 65]);
    const c = tf.matMul(a, b);
    // Lose the device while the read of c is in flight.
    const pending = c.data();
    currentDevice().destroy();
    const outcome = await Promise.race([
      pending.then(
        () => "resolved",
        (e: unknown) => e,
      ),
      tick(10_000).then(() => "hung"),
    ]);
    // Dawn may finish the copy before the loss lands; it must never hang.
    expect(outcome).not.toBe("hung");
    if (outcome !== "resolved") expect(outcome).toBeInstanceOf(DeviceLostError);
    await tick(50);
    expect(lastDeviceLoss()?.reason).toBe("destroyed");
    expect(seen.map((l) => l.reason)).toEqual(["destroyed"]);
    const err = (() => {
      try {
        tf.matMul(a, b);
        return null;
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DeviceLostError);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect((err as DeviceLostError).code).toBe("E_BACKEND_UNAVAILABLE");
    expect((err as DeviceLostError).message).toMatch(/GPU device was lost \(destroyed/);
    expect(() => tf.add(a, 1)).toThrow(DeviceLostError);
    // a was uploaded to the lost device: reading it rejects at once.
    await expect(a.data()).rejects.toBeInstanceOf(DeviceLostError);
    off();

    // Selecting the backend again gives a fresh device that computes.
    await selectBackend(registry, "webgpu");
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    expect(Array.from(await tf.matMul(x, x).data())).toEqual([7, 10, 15, 22]);
    x.dispose();
  });

  it.skipIf(hasSyncReads())("a sync read of GPU data is a typed error in Node", async () => {
    await selectBackend(registry, "webgpu");
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const y = tf.matMul(x, x);
    expect(() => y.dataSync()).toThrow(SyncReadUnsupportedError);
    expect(Array.from(await y.data())).toEqual([7, 10, 15, 22]);
    // Once read, the values are cached on the CPU: sync reads of them work.
    expect(Array.from(y.dataSync())).toEqual([7, 10, 15, 22]);
    tf.dispose([x, y]);
  });
});
