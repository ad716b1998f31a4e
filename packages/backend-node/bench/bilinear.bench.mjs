// The fused bilinear kernels (native/bilinear.cc) against BiLinear's composite of tfjs ops, on the
// EMLP(384) hidden layer of the inertia task (gated(uniformRep(384, O(3))), batch 500): median ms
// of forward + gradient (in x and every theta) for the fused kernels called directly on node
// (forward, backward, both), for `layer.apply` under tf.variableGrads on node (which uses them
// when BiLinear dispatches to them), on node with the fused kernels hidden (BiLinear's composite
// of tfjs ops) and on wasm (composite). Prints JSON.
// Usage: node bench/bilinear.bench.mjs [--reps 10] [--batch 500] [--threads N] [--no-wasm]
// Needs `pnpm run build` (dist/) and the built addon.
import { BILINEAR_GRAD_KERNEL, BILINEAR_KERNEL, rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { BiLinear, gated, uniformRep } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import "@tensorflow/tfjs-backend-cpu";
import * as tf from "@tensorflow/tfjs-core";
import { configureNodeBackend, registerNodeBackend } from "../dist/index.js";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? dflt : Number(process.argv[i + 1]);
};
const reps = arg("reps", 10);
const batch = arg("batch", 500);
const threads = arg("threads", undefined);
const withWasm = !process.argv.includes("--no-wasm");

await registerGradients();
await registerNodeBackend();
if (threads !== undefined) configureNodeBackend({ threads });

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(fn) {
  for (let i = 0; i < 3; i++) fn();
  const ms = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return Math.round(median(ms) * 100) / 100;
}

const rep = gated(uniformRep(384, O(3)));

async function setup(backend) {
  await tf.setBackend(backend);
  await tf.ready();
  const layer = new BiLinear(rep, rep, { rng: rng(1) });
  const x = tf.variable(
    tf.randomNormal([batch, rep.size], 0, 1, "float32", 1),
    true,
    `x-${backend}`,
  );
  const r = tf.randomNormal([batch, rep.size], 0, 1, "float32", 2);
  return { layer, x, r, vars: [x, ...layer.weights().map((w) => w.variable)] };
}

/** fwd + bwd of sum(layer.apply(x) * r) through the layer's own code. */
async function composite(backend) {
  const { layer, x, r, vars } = await setup(backend);
  const ms = time(() => {
    const { value, grads } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x), r)), vars);
    for (const g of Object.values(grads)) g.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
  layer.dispose();
  tf.dispose([x, r]);
  return ms;
}

async function fused() {
  const { layer, x, r } = await setup("node");
  const plan = layer.fusedPlan();
  const thetas = Object.fromEntries(
    layer.pairs().map((p, k) => [`theta${k}`, layer.weights()[p.variable].variable]),
  );
  const attrs = { plan };
  const fwd = () => tf.engine().runKernel(BILINEAR_KERNEL, { x, ...thetas }, attrs);
  const bwd = () => tf.engine().runKernel(BILINEAR_GRAD_KERNEL, { dy: r, x, ...thetas }, attrs);
  const forward = time(() => tf.dispose(fwd()));
  const backward = time(() => tf.dispose(bwd()));
  const both = time(() => tf.dispose([fwd(), ...bwd()]));
  layer.dispose();
  tf.dispose([x, r]);
  return { forward, backward, both };
}

const info = configureNodeBackend({});
const out = { batch, reps, blas: info.blas, threads: info.threads };
out.fusedNode = await fused();
// layer.apply on node: the fused kernels when BiLinear dispatches to them (tf.customGrad around).
out.layerNode = await composite("node");
// Hide the fused kernels, in case BiLinear dispatches to them on node.
const hidden = [BILINEAR_KERNEL, BILINEAR_GRAD_KERNEL].map((k) => tf.getKernel(k, "node"));
for (const k of hidden) if (k) tf.unregisterKernel(k.kernelName, "node");
out.compositeNode = await composite("node");
for (const k of hidden) if (k) tf.registerKernel(k);
if (withWasm) {
  await import("@tensorflow/tfjs-backend-wasm");
  out.compositeWasm = await composite("wasm");
}
console.log(JSON.stringify(out));
