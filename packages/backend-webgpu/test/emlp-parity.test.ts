import { rng, selectBackend } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { EMLP } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { rhoOperator, Scalar, scaleAdjustedError, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { registry, relErr, requireAdapter, skipGpu, values } from "./helpers.js";

const g = O(3);
const repIn = Scalar(g).times(5).plus(V(g).times(5));
const repOut = T(g, 2);
const batch = 32;

interface Run {
  out: Float32Array;
  loss: number;
  grads: Float32Array[];
  equivariance: number;
}

/** Reads a tensor asynchronously and disposes it (Node's webgpu has no sync reads). */
async function read(t: tf.Tensor): Promise<Float32Array> {
  const d = Float32Array.from((await t.data()) as Float32Array);
  t.dispose();
  return d;
}

/**
 * An EMLP(32) built and run on `backend`: output, loss, gradients, and emlp's equivariance error
 * (scale-adjusted |f(g x) - g f(x)|, the group actions in float64) over the batch, all read
 * asynchronously.
 */
async function run(backend: string): Promise<Run> {
  await selectBackend(registry, backend);
  const model = new EMLP(repIn, repOut, g, { channels: 32, layers: 2, rng: rng(7) });
  const xs = values(batch * repIn.size, 21);
  const x = tf.tensor2d(xs, [batch, repIn.size]);
  const y = tf.tensor2d(values(batch * repOut.size, 22), [batch, repOut.size]);
  const vars = model.weights().map((w) => w.variable);
  const out = await read(tf.tidy(() => model.apply(x)));
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar,
    vars,
  );
  const loss = (await read(value))[0] as number;
  const gs: Float32Array[] = [];
  for (const v of vars) gs.push(await read(grads[v.name] as tf.Tensor));

  const r = rng(2);
  const elements = Array.from({ length: batch }, () => g.sample(r));
  const gx = new Float32Array(xs.length);
  elements.forEach((e, i) => {
    const xi = Float64Array.from(xs.subarray(i * repIn.size, (i + 1) * repIn.size));
    gx.set(rhoOperator(repIn, e).matvec(xi), i * repIn.size);
  });
  const fgx = await read(tf.tidy(() => model.apply(tf.tensor2d(gx, [batch, repIn.size]))));
  let equivariance = 0;
  elements.forEach((e, i) => {
    const fx = Float64Array.from(out.subarray(i * repOut.size, (i + 1) * repOut.size));
    const gfx = rhoOperator(repOut, e).matvec(fx);
    equivariance += scaleAdjustedError(
      fgx.subarray(i * repOut.size, (i + 1) * repOut.size),
      gfx,
      e,
    );
  });
  tf.dispose([x, y]);
  model.dispose();
  return { out, loss, grads: gs, equivariance: equivariance / batch };
}

describe.skipIf(skipGpu)("EMLP(32) on O(3) on webgpu matches cpu", () => {
  beforeAll(async () => {
    requireAdapter();
    await registerGradients();
  });

  it("forward and gradients within 1e-4, equivariance error at the cpu level", async () => {
    const cpu = await run("cpu");
    const gpu = await run("webgpu");
    expect(relErr(gpu.out, cpu.out), "forward").toBeLessThan(1e-4);
    expect(Math.abs(gpu.loss - cpu.loss) / Math.abs(cpu.loss), "loss").toBeLessThan(1e-4);
    expect(gpu.grads.length).toBe(cpu.grads.length);
    expect(gpu.grads.length).toBeGreaterThan(0);
    cpu.grads.forEach((gr, i) => {
      expect(relErr(gpu.grads[i] as Float32Array, gr), `grad ${i}`).toBeLessThan(1e-4);
    });
    expect(cpu.equivariance).toBeLessThan(1e-5);
    expect(gpu.equivariance).toBeLessThan(1e-5);
    expect(gpu.equivariance).toBeLessThan(Math.max(10 * cpu.equivariance, 1e-6));
  });
});
