// The page bundled by esbuild and run in headless Chromium: registers the backend plugins
// through the registry, probes them in the browser environment, then runs matMul cases and an
// EMLP(32) on O(3) (forward, gradients, equivariance error) on cpu and on each requested backend,
// and leaves the numbers on `globalThis.__results` (or the error on `globalThis.__error`).
//
// Query parameters: `backends` (comma-separated, default `webgpu,wasm`), `wasmPaths` (where the
// .wasm files are served, default `./wasm/`).

// Bundlers import tfjs's gradients as a side-effect module (Node uses registerGradients()).
import "@tensorflow/tfjs-core/dist/register_all_gradients.js";
import { plugin as backendCpu } from "@isotropy/backend-cpu";
import { plugin as backendWasm } from "@isotropy/backend-wasm";
import { plugin as backendWebgpu } from "@isotropy/backend-webgpu";
import { createRegistry, listBackends, rng, selectBackend } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { EMLP, gradientsRegistered } from "@isotropy/layers";
import { rhoOperator, Scalar, scaleAdjustedError, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { relErr, values } from "./numbers.js";
import type { BackendRun, PageGlobals, PageResults } from "./results.js";

const g = O(3);
// The inertia task's reps: 4 particles, each a mass and a position, to the inertia tensor.
const repIn = Scalar(g).times(4).plus(V(g).times(4));
const repOut = T(g, 2);
const batch = 16;

/** The browser globals the page reads (the package compiles without the DOM library). */
const browser = globalThis as unknown as {
  location: { search: string; href: string };
  navigator: { userAgent: string };
  crossOriginIsolated?: boolean;
};

const registry = createRegistry().use(backendCpu).use(backendWasm).use(backendWebgpu);

/** matMul cases: [name, a shape, b shape, transposeA, transposeB]. */
const MATMUL: readonly [string, number[], number[], boolean, boolean][] = [
  ["65x33 . 33x17", [65, 33], [33, 17], false, false],
  ["(33x65)^T . (17x33)^T", [33, 65], [17, 33], true, true],
  ["1x7 . 7x1", [1, 7], [7, 1], false, false],
  ["3x9x33 . 3x33x5", [3, 9, 33], [3, 33, 5], false, false],
  ["2x3x7x33 . 33x5 (broadcast b)", [2, 3, 7, 33], [33, 5], false, false],
  // No case broadcasts both operands' batch dimensions: tfjs 4.22.0's cpu and wasm backends
  // return wrong values there, so cpu is no reference (backend-webgpu's kernel tests check the
  // webgpu fix against a float64 reference in Node).
];

/** Reads a tensor asynchronously (the GPU's way) and disposes it. */
async function read(t: tf.Tensor): Promise<Float32Array> {
  const d = Float32Array.from((await t.data()) as Float32Array);
  t.dispose();
  return d;
}

interface Numbers {
  /** Each matMul case's values, or the error it threw. */
  matMul: (Float32Array | string)[];
  out: Float32Array;
  loss: number;
  grads: Float32Array[];
  equivariance: number;
}

/** Everything computed on the current tfjs backend, read back to the page. */
async function compute(): Promise<Numbers> {
  const matMul: (Float32Array | string)[] = [];
  const size = (s: number[]) => s.reduce((p, n) => p * n, 1);
  for (const [i, [, sa, sb, ta, tb]] of MATMUL.entries()) {
    const a = tf.tensor(values(size(sa), 100 + i), sa);
    const b = tf.tensor(values(size(sb), 200 + i), sb);
    try {
      matMul.push(await read(tf.tidy(() => tf.matMul(a, b, ta, tb))));
    } catch (e) {
      matMul.push(message(e));
    }
    tf.dispose([a, b]);
  }

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

  // emlp's equivariance error: |f(g x) - g f(x)|, scale-adjusted, the group actions in float64.
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
  return { matMul, out, loss, grads: gs, equivariance: equivariance / batch };
}

function message(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

async function runOn(
  backend: string,
  params: Record<string, unknown>,
  cpu: Numbers,
): Promise<BackendRun> {
  const t0 = performance.now();
  const empty = { matMul: [], forward: NaN, loss: NaN, grads: NaN, gradCount: 0 };
  try {
    const chosen = await selectBackend(registry, backend, params, "browser");
    const n = await compute();
    return {
      backend,
      ok: true,
      tfName: chosen.tfName,
      matMul: MATMUL.map(([name], i) => {
        const [x, ref] = [n.matMul[i], cpu.matMul[i]];
        if (typeof x === "string") return { case: name, relErr: Number.NaN, error: x };
        if (typeof ref === "string")
          return { case: name, relErr: Number.NaN, error: `cpu: ${ref}` };
        return { case: name, relErr: relErr(x, ref) };
      }),
      forward: relErr(n.out, cpu.out),
      loss: Math.abs(n.loss - cpu.loss) / Math.abs(cpu.loss),
      grads: Math.max(
        n.grads.length === cpu.grads.length ? 0 : Number.POSITIVE_INFINITY,
        ...cpu.grads.map((gr, i) => relErr(n.grads[i] ?? new Float32Array(), gr)),
      ),
      gradCount: n.grads.length,
      equivariance: n.equivariance,
      ms: performance.now() - t0,
    };
  } catch (e) {
    const error = message(e);
    return { backend, ok: false, error, ...empty, equivariance: NaN, ms: performance.now() - t0 };
  }
}

async function main(): Promise<PageResults> {
  if (!gradientsRegistered()) throw new Error("tfjs's gradients are not registered");
  const query = new URLSearchParams(browser.location.search);
  const requested = (query.get("backends") ?? "webgpu,wasm").split(",").filter(Boolean);
  const wasmPaths = new URL(query.get("wasmPaths") ?? "./wasm/", browser.location.href).href;

  const reports = await listBackends(registry, "browser");
  const backends: PageResults["backends"] = Object.fromEntries(
    reports.map((r) => [r.name, { ...r.status, priority: r.priority }]),
  );
  // What `auto` picks (reports come best first): the first available with a browser priority.
  const auto = reports.find((r) => r.status.available && r.priority !== null)?.name ?? null;

  const t0 = performance.now();
  await selectBackend(registry, "cpu", {}, "browser");
  const cpu = await compute();
  const cpuMs = performance.now() - t0;

  const runs: BackendRun[] = [];
  for (const b of requested) runs.push(await runOn(b, b === "wasm" ? { wasmPaths } : {}, cpu));
  return {
    userAgent: browser.navigator.userAgent,
    crossOriginIsolated: browser.crossOriginIsolated === true,
    backends,
    auto,
    cpu: { equivariance: cpu.equivariance, gradCount: cpu.grads.length, ms: cpuMs },
    runs,
  };
}

const page = globalThis as PageGlobals;
main().then(
  (r) => {
    page.__results = r;
  },
  (e: unknown) => {
    page.__error = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ""}` : String(e);
  },
);
