// Time of one training step (forward + backward, batch 500) of EMLP and of the MLP of the same
// widths on the cpu backend, and of the forward pass alone. Prints one JSON line.
// Also the memory of EMLP's basis structures (run with --expose-gc for a steadier heap figure).
// Usage: node bench/step.bench.mjs [--channels 384] [--layers 3] [--batch 500] [--reps 5]
//   [--task inertia|o5|lorentz] [--backend cpu] (other backends: `isotropy bench step --backend B`)
import { parseArgs } from "node:util";
import { rng } from "@isotropy/core";
import { Lorentz, O } from "@isotropy/groups";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { EMLP, MLP, parameterCount } from "../dist/index.js";
import { registerGradients } from "../dist/node.js";

const { values } = parseArgs({
  options: {
    channels: { type: "string", default: "384" },
    layers: { type: "string", default: "3" },
    batch: { type: "string", default: "500" },
    reps: { type: "string", default: "5" },
    task: { type: "string", default: "inertia" },
    backend: { type: "string", default: "cpu" },
  },
});
const channels = Number(values.channels);
const layers = Number(values.layers);
const batch = Number(values.batch);
const reps = Number(values.reps);

// tfjs-core's Node bundle has no gradients: registerGradients loads them.
await registerGradients();
if (values.backend === "wasm") {
  // layers depends on no backend package: the CLI's `isotropy bench step` runs every backend.
  await import("@tensorflow/tfjs-backend-wasm").catch(() => {
    console.error(
      "wasm is not resolvable from @isotropy/layers: run `isotropy bench step --backend wasm`.",
    );
    process.exit(2);
  });
}
if (!(await tf.setBackend(values.backend)))
  throw new Error(`backend ${values.backend} is unavailable`);
await tf.ready();

const tasks = {
  inertia: () => {
    const g = O(3);
    return { g, repIn: Scalar(g).times(5).plus(V(g).times(5)), repOut: T(g, 2) };
  },
  o5: () => {
    const g = O(5);
    return { g, repIn: V(g).times(2), repOut: Scalar(g) };
  },
  lorentz: () => {
    const g = Lorentz();
    return { g, repIn: V(g).times(4), repOut: Scalar(g) };
  },
};
const { g, repIn, repOut } = tasks[values.task]();

function time(model) {
  const x = tf.randomNormal([batch, repIn.size], 0, 1, "float32", 1);
  const y = tf.randomNormal([batch, repOut.size], 0, 1, "float32", 2);
  const vars = model.weights().map((w) => w.variable);
  const loss = () => tf.mean(tf.square(tf.sub(model.apply(x), y)));
  const step = () => {
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const fwd = () => tf.tidy(() => model.apply(x).dataSync());
  step();
  fwd();
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) step();
  const t1 = performance.now();
  for (let i = 0; i < reps; i++) fwd();
  const t2 = performance.now();
  tf.dispose([x, y]);
  return {
    stepMs: (t1 - t0) / reps,
    forwardMs: (t2 - t1) / reps,
    parameters: parameterCount(model),
  };
}

// Memory of the basis structures: tensor bytes the EMLP holds beyond its parameters (the
// per-pair bases and placement indices kept on the backend), and the JS heap its build left.
globalThis.gc?.();
const heap0 = process.memoryUsage().heapUsed;
const bytes0 = tf.memory().numBytes;
const t0 = performance.now();
const emlp = new EMLP(repIn, repOut, g, { channels, layers, rng: rng(0) });
const buildMs = performance.now() - t0;
globalThis.gc?.();
const parameterBytes = 4 * parameterCount(emlp);
const basisTensorBytes = tf.memory().numBytes - bytes0 - parameterBytes;
const buildHeapBytes = process.memoryUsage().heapUsed - heap0;
const e = time(emlp);
const mlp = new MLP(repIn.size, repOut.size, { channels, layers, rng: rng(0) });
const m = time(mlp);
console.log(
  JSON.stringify({
    task: values.task,
    group: g.name,
    channels,
    layers,
    batch,
    backend: tf.getBackend(),
    hidden: emlp.hidden[0].toString(),
    emlp: { ...e, buildMs, parameterBytes, basisTensorBytes, buildHeapBytes },
    mlpParameterBytes:
      4 * parameterCount(new MLP(repIn.size, repOut.size, { channels, layers, rng: rng(0) })),
    mlp: m,
    stepRatio: e.stepMs / m.stepMs,
  }),
);
