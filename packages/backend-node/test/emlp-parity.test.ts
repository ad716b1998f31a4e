import { rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { EMLP } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { relErr, requireNode, values } from "./helpers.js";

beforeAll(async () => {
  await registerGradients();
  await requireNode();
});

const g = O(3);
const repIn = Scalar(g).times(5).plus(V(g).times(5));
const repOut = T(g, 2);
const batch = 32;

/** Forward output, loss and gradients of an EMLP(16) built and run on `backend`. */
async function run(backend: string) {
  await tf.setBackend(backend);
  const model = new EMLP(repIn, repOut, g, { channels: 16, layers: 2, rng: rng(7) });
  const x = tf.tensor2d(values(batch * repIn.size, 21), [batch, repIn.size]);
  const y = tf.tensor2d(values(batch * repOut.size, 22), [batch, repOut.size]);
  const vars = model.weights().map((w) => w.variable);
  const out = tf.tidy(() => model.apply(x).dataSync().slice());
  const { value, grads } = tf.variableGrads(
    () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar,
    vars,
  );
  const loss = value.dataSync()[0] as number;
  const gs = vars.map((v) => (grads[v.name] as tf.Tensor).dataSync().slice());
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
  return { out, loss, grads: gs };
}

describe("EMLP(16) on node matches cpu", () => {
  it("forward and gradients, relative error < 1e-4", async () => {
    const cpu = await run("cpu");
    const node = await run("node");
    expect(relErr(node.out, cpu.out)).toBeLessThan(1e-4);
    expect(Math.abs(node.loss - cpu.loss) / Math.abs(cpu.loss)).toBeLessThan(1e-4);
    expect(node.grads.length).toBe(cpu.grads.length);
    expect(node.grads.length).toBeGreaterThan(0);
    for (let i = 0; i < cpu.grads.length; i++) {
      expect(
        relErr(node.grads[i] as Float32Array, cpu.grads[i] as Float32Array),
        `grad ${i}`,
      ).toBeLessThan(1e-4);
    }
  });
});
