// matMul GFLOP/s per backend (node, wasm, cpu up to 512) at 256..2048, raw SGEMM through the
// addon (its BLAS, and the bundled kernel), and one EMLP(384) training step (batch 500) on the
// inertia task per backend. Prints ONE JSON object.
// Usage: node bench/backends.bench.mjs [--threads N] [--reps 3] [--cpu-step] (needs `pnpm build`)
import { parseArgs } from "node:util";
import { rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { EMLP } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import { configureNodeBackend, loadAddon, registerNodeBackend } from "../dist/index.js";

const { values } = parseArgs({
  options: {
    threads: { type: "string" },
    reps: { type: "string", default: "3" },
    "cpu-step": { type: "boolean", default: false },
  },
});
const reps = Number(values.reps);
const sizes = [256, 512, 1024, 2048];

await registerGradients();
const state = loadAddon();
if (!state.ok) throw new Error(state.reason);
await registerNodeBackend();
const info = configureNodeBackend(values.threads ? { threads: Number(values.threads) } : {});

const gflops = (n, ms) => Number(((2 * n ** 3) / ms / 1e6).toFixed(2));

function timeIt(fn, minMs = 300, maxReps = 50) {
  fn();
  let n = 0;
  const t0 = performance.now();
  do {
    fn();
    n++;
  } while (performance.now() - t0 < minMs && n < maxReps);
  return (performance.now() - t0) / n;
}

function rawSgemm(bundled) {
  const out = {};
  for (const n of sizes) {
    const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
    const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
    const c = new Float32Array(n * n);
    const o = new Uint32Array([0]);
    const ms = timeIt(() => state.addon.batchMatMul(a, b, c, n, n, n, false, false, o, o, bundled));
    out[n] = { ms: Number(ms.toFixed(3)), gflops: gflops(n, ms) };
  }
  return out;
}

async function tfMatMul(backend, maxN) {
  await tf.setBackend(backend);
  await tf.ready();
  const out = {};
  for (const n of sizes) {
    if (n > maxN) continue;
    const a = tf.randomNormal([n, n], 0, 1, "float32", 1);
    const b = tf.randomNormal([n, n], 0, 1, "float32", 2);
    const ms = timeIt(
      () => {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      },
      backend === "cpu" ? 1 : 300,
      backend === "cpu" ? 1 : 50,
    );
    tf.dispose([a, b]);
    out[n] = { ms: Number(ms.toFixed(3)), gflops: gflops(n, ms) };
  }
  return out;
}

async function emlpStep(backend, stepReps) {
  await tf.setBackend(backend);
  await tf.ready();
  const g = O(3);
  const repIn = Scalar(g).times(5).plus(V(g).times(5));
  const repOut = T(g, 2);
  const batch = 500;
  const model = new EMLP(repIn, repOut, g, { channels: 384, layers: 3, rng: rng(0) });
  const x = tf.randomNormal([batch, repIn.size], 0, 1, "float32", 1);
  const y = tf.randomNormal([batch, repOut.size], 0, 1, "float32", 2);
  const vars = model.weights().map((w) => w.variable);
  const loss = () => tf.mean(tf.square(tf.sub(model.apply(x), y)));
  const step = () => {
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  step();
  const t0 = performance.now();
  for (let i = 0; i < stepReps; i++) step();
  const ms = (performance.now() - t0) / stepReps;
  tf.dispose([x, y]);
  model.dispose();
  return { stepMs: Number(ms.toFixed(1)), hidden: model.hidden[0].toString() };
}

const raw = rawSgemm(false);
const rawBundled = info.blas === "openblas" ? rawSgemm(true) : undefined;
const matMul = {
  node: await tfMatMul("node", Infinity),
  wasm: await tfMatMul("wasm", Infinity),
  cpu: await tfMatMul("cpu", 512),
};
configureNodeBackend({ bundled: true });
const nodeBundled = info.blas === "openblas" ? await tfMatMul("node", Infinity) : undefined;
configureNodeBackend({ bundled: false });
const step = {
  node: await emlpStep("node", reps),
  wasm: await emlpStep("wasm", reps),
  ...(values["cpu-step"] ? { cpu: await emlpStep("cpu", 1) } : {}),
};
const wasmSimd = Boolean(await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT"));

console.log(
  JSON.stringify({
    machine: { cores: (await import("node:os")).availableParallelism(), node: process.version },
    addon: info,
    wasm: { simd: wasmSimd, threads: 1 },
    matMulGflops: {
      node: Object.fromEntries(Object.entries(matMul.node).map(([k, v]) => [k, v.gflops])),
      ...(nodeBundled
        ? {
            nodeBundled: Object.fromEntries(
              Object.entries(nodeBundled).map(([k, v]) => [k, v.gflops]),
            ),
          }
        : {}),
      wasm: Object.fromEntries(Object.entries(matMul.wasm).map(([k, v]) => [k, v.gflops])),
      cpu: Object.fromEntries(Object.entries(matMul.cpu).map(([k, v]) => [k, v.gflops])),
      rawSgemm: Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.gflops])),
      ...(rawBundled
        ? {
            rawBundled: Object.fromEntries(
              Object.entries(rawBundled).map(([k, v]) => [k, v.gflops]),
            ),
          }
        : {}),
    },
    matMulMs: { node: matMul.node, wasm: matMul.wasm, cpu: matMul.cpu, rawSgemm: raw },
    emlpStep: { task: "inertia", channels: 384, layers: 3, batch: 500, ...step },
    targets: {
      nodeVsRawAt1024: Number((matMul.node[1024].gflops / raw[1024].gflops).toFixed(3)),
      nodeVsRawAt1024Target: 0.8,
      stepSpeedupVsWasm: Number((step.wasm.stepMs / step.node.stepMs).toFixed(2)),
      stepSpeedupVsWasmTarget: 3,
      wasmVsCpuAt512: Number((matMul.wasm[512].gflops / matMul.cpu[512].gflops).toFixed(1)),
    },
  }),
);
