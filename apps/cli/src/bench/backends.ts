// The one implementation of the backend benchmark: `isotropy bench backends` and
// packages/backend-node/bench/backends.bench.mjs (a thin wrapper over the built file) both call
// `benchBackends`.
import { loadAddon, type NativeAddon, type NativeInfo } from "@isotropy/backend-node";
import { EMLP } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { parseGroup, parseRep } from "@isotropy/reps";
import type { Task } from "@isotropy/tasks";
import * as tf from "@tensorflow/tfjs-core";
import { listBackends, type Registry, rng, selectBackend } from "isotropy";
import { type MachineInfo, machineInfo } from "./machine.js";
import { trainingStepMs } from "./step.js";

export interface BenchBackendsOptions {
  /** Square matMul sizes (default 256, 512, 1024, 2048). */
  readonly sizes?: readonly number[];
  /** Timed EMLP steps per backend after one warm-up step (default 10, so that a GC pause does not set the figure; the cpu backend runs 1). */
  readonly reps?: number;
  /** The cpu backend's matMul is measured up to this size only (default 512). */
  readonly cpuMaxSize?: number;
  /** The EMLP training step: false skips it. */
  readonly emlp?:
    | false
    | { readonly channels?: number; readonly layers?: number; readonly batch?: number };
  /** Threads of the node backend (BLAS and the addon's loops). */
  readonly threads?: number;
  /** Also time the addon's bundled SGEMM (raw and as the node backend) when built with OpenBLAS. */
  readonly bundled?: boolean;
  /** Only these backends (default every available one). */
  readonly backends?: readonly string[];
  /** Progress lines (stderr in the CLI). */
  readonly log?: (line: string) => void;
}

export interface Timing {
  readonly ms: number;
  readonly gflops: number;
}

export interface BenchBackendsResult {
  readonly machine: MachineInfo;
  readonly sizes: number[];
  readonly backends: {
    name: string;
    available: boolean;
    reason?: string;
    capabilities?: Readonly<Record<string, unknown>>;
  }[];
  /** The node addon: its build info, or why it is unavailable. */
  readonly addon: { available: true; info: NativeInfo } | { available: false; reason: string };
  /** matMul [n,n] x [n,n] per backend and size (keys are sizes). */
  readonly matMul: Record<string, Record<string, Timing>>;
  /** Raw SGEMM through the addon (its BLAS), the reference; null when the addon is unavailable. */
  readonly rawSgemm: Record<string, Timing> | null;
  /** With `bundled`: the addon's own kernel, raw and as the node backend. */
  readonly bundled?: { raw: Record<string, Timing>; node: Record<string, Timing> };
  /** Measurements left out and why. */
  readonly skipped: { backend: string; what: string; reason: string }[];
  readonly emlpStep: {
    task: "inertia";
    repIn: string;
    repOut: string;
    channels: number;
    layers: number;
    batch: number;
    reps: number;
    /** Mean milliseconds of one training step (forward, loss, gradients) per backend. */
    ms: Record<string, number>;
  } | null;
  /** The targets: each value, its target and whether it is met (null: not measured). */
  readonly targets: {
    nodeMatMulVsRawSgemmAt1024: Target;
    nodeEmlpStepSpeedupVsWasm: Target;
    wasmVsCpuMatMul: Target & { size: number | null };
    wasmEmlpStepSpeedupVsCpu: Target;
  };
}

export interface Target {
  value: number | null;
  target: number;
  met: boolean | null;
}

export const DEFAULT_SIZES = [256, 512, 1024, 2048] as const;

/** GFLOP/s of an n x n x n matMul taking `ms`. */
export function gflops(n: number, ms: number): number {
  // Three significant digits: a slow backend at a small size (WebGPU on a software adapter,
  // 32 x 32) must not round to 0.
  return Number(((2 * n ** 3) / ms / 1e6).toPrecision(3));
}

/** Mean milliseconds of `fn` after one warm-up call: at least `minMs` in all, at most `maxReps`. */
export function timeIt(fn: () => void, minMs = 300, maxReps = 50): number {
  fn();
  let n = 0;
  const t0 = performance.now();
  do {
    fn();
    n++;
  } while (performance.now() - t0 < minMs && n < maxReps);
  return (performance.now() - t0) / n;
}

/** Raw row-major SGEMM through the addon at each size (`bundled`: the addon's own kernel). */
export function rawSgemm(addon: NativeAddon, sizes: readonly number[], bundled = false) {
  const out: Record<string, Timing> = {};
  for (const n of sizes) {
    const a = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
    const b = Float32Array.from({ length: n * n }, () => Math.random() - 0.5);
    const c = new Float32Array(n * n);
    const o = new Uint32Array([0]);
    const ms = timeIt(() => addon.batchMatMul(a, b, c, n, n, n, false, false, o, o, bundled));
    out[n] = { ms: round(ms, 3), gflops: gflops(n, ms) };
  }
  return out;
}

/** tf.matMul GFLOP/s on the current tfjs backend (`slow`: one timed call per size). */
export function tfMatMul(sizes: readonly number[], slow = false): Record<string, Timing> {
  const out: Record<string, Timing> = {};
  for (const n of sizes) {
    const a = tf.randomNormal([n, n], 0, 1, "float32", 1);
    const b = tf.randomNormal([n, n], 0, 1, "float32", 2);
    const ms = timeIt(
      () => {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      },
      slow ? 1 : 300,
      slow ? 1 : 50,
    );
    tf.dispose([a, b]);
    out[n] = { ms: round(ms, 3), gflops: gflops(n, ms) };
  }
  return out;
}

/** tfMatMul for backends without synchronous reads: each call read back with `await data()`. */
export async function tfMatMulAsync(sizes: readonly number[]): Promise<Record<string, Timing>> {
  const out: Record<string, Timing> = {};
  for (const n of sizes) {
    const a = tf.randomNormal([n, n], 0, 1, "float32", 1);
    const b = tf.randomNormal([n, n], 0, 1, "float32", 2);
    const once = async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    };
    await once();
    let reps = 0;
    const t0 = performance.now();
    do {
      await once();
      reps++;
    } while (performance.now() - t0 < 300 && reps < 50);
    const ms = (performance.now() - t0) / reps;
    tf.dispose([a, b]);
    out[n] = { ms: round(ms, 3), gflops: gflops(n, ms) };
  }
  return out;
}

/** emlpStep for backends without synchronous reads: the loss read back with `await data()`. */
export async function emlpStepAsync(model: EMLP, batch: number, reps: number): Promise<number> {
  const x = tf.randomNormal<tf.Rank.R2>([batch, model.inputSize], 0, 1, "float32", 1);
  const y = tf.randomNormal<tf.Rank.R2>([batch, model.outputSize], 0, 1, "float32", 2);
  const vars = model.weights().map((w) => w.variable);
  const loss = () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar;
  const step = async () => {
    const { value, grads } = tf.variableGrads(loss, vars);
    await value.data();
    tf.dispose([value, ...Object.values(grads)]);
  };
  try {
    await step();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) await step();
    return (performance.now() - t0) / reps;
  } finally {
    tf.dispose([x, y]);
  }
}

/**
 * Every available backend (or `opts.backends`): matMul GFLOP/s at `sizes` (cpu up to
 * `cpuMaxSize`), one EMLP training step on the inertia task's reps, and raw SGEMM through the
 * node addon as the reference, with the target ratios. Each backend is made current
 * through the registry (`selectBackend`); every tensor and model of one backend is disposed
 * before the next is selected, so nothing is carried across a switch.
 */
export async function benchBackends(
  registry: Registry,
  opts: BenchBackendsOptions = {},
): Promise<BenchBackendsResult> {
  const log = opts.log ?? (() => {});
  const sizes = [...(opts.sizes ?? DEFAULT_SIZES)];
  const reps = opts.reps ?? 10;
  const cpuMax = opts.cpuMaxSize ?? 512;
  const reports = await listBackends(registry);
  const names = reports
    .filter((r) => r.status.available && (opts.backends?.includes(r.name) ?? true))
    .map((r) => r.name);
  // Backends that cannot read GPU data synchronously (webgpu in Node) are timed with `await data()`.
  const asyncReads = new Set(
    reports.filter((r) => r.status.capabilities?.syncReads === false).map((r) => r.name),
  );
  const skipped: BenchBackendsResult["skipped"] = [];
  for (const want of opts.backends ?? []) {
    const r = reports.find((x) => x.name === want);
    if (!r?.status.available) {
      skipped.push({
        backend: want,
        what: "all",
        reason: r ? (r.status.reason ?? "unavailable") : "not registered",
      });
    }
  }
  for (const r of reports) {
    if (!r.status.available && !opts.backends) {
      skipped.push({ backend: r.name, what: "all", reason: r.status.reason ?? "unavailable" });
    }
  }

  const state = loadAddon();
  const addon: BenchBackendsResult["addon"] = state.ok
    ? { available: true, info: state.addon.info() }
    : { available: false, reason: state.reason };
  const params = (name: string) =>
    name === "node" && opts.threads !== undefined ? { threads: opts.threads } : {};

  let raw: Record<string, Timing> | null = null;
  let bundled: BenchBackendsResult["bundled"];
  if (state.ok) {
    if (opts.threads !== undefined) state.addon.setThreads(opts.threads);
    log("raw sgemm (addon)");
    raw = rawSgemm(state.addon, sizes);
  } else {
    skipped.push({ backend: "node", what: "rawSgemm", reason: state.reason });
  }

  const matMul: Record<string, Record<string, Timing>> = {};
  for (const name of names) {
    await selectBackend(registry, name, params(name));
    const own = name === "cpu" ? sizes.filter((n) => n <= cpuMax) : sizes;
    const left = sizes.filter((n) => !own.includes(n));
    if (left.length > 0) {
      skipped.push({
        backend: name,
        what: `matMul at ${left.join(", ")}`,
        reason: `the cpu backend is measured up to ${cpuMax} only (plain JavaScript: minutes per call above)`,
      });
    }
    log(`matMul on ${name}`);
    matMul[name] = asyncReads.has(name) ? await tfMatMulAsync(own) : tfMatMul(own, name === "cpu");
    if (name === "node" && opts.bundled && state.ok && addon.available) {
      if (addon.info.blas === "openblas") {
        const { configureNodeBackend } = await import("@isotropy/backend-node");
        configureNodeBackend({ bundled: true });
        try {
          bundled = { raw: rawSgemm(state.addon, sizes, true), node: tfMatMul(sizes) };
        } finally {
          configureNodeBackend({ bundled: false });
        }
      } else {
        skipped.push({
          backend: "node",
          what: "bundled",
          reason: "the addon is built without OpenBLAS: rawSgemm already is the bundled kernel",
        });
      }
    }
  }

  let emlp: BenchBackendsResult["emlpStep"] = null;
  if (opts.emlp !== false) {
    await registerGradients();
    const channels = opts.emlp?.channels ?? 384;
    const layers = opts.emlp?.layers ?? 3;
    const batch = opts.emlp?.batch ?? 500;
    const task = registry.create<Task>("tasks", "inertia");
    const group = parseGroup(task.groupName, registry);
    const repIn = parseRep(task.repIn, group, registry);
    const repOut = parseRep(task.repOut, group, registry);
    const ms: Record<string, number> = {};
    for (const name of names) {
      await selectBackend(registry, name, params(name));
      log(`EMLP(${channels}) step on ${name}`);
      // Built after the switch, disposed before the next one: the weights live on this backend.
      const model = new EMLP(repIn, repOut, group, { channels, layers, rng: rng(0) });
      try {
        const steps = name === "cpu" ? 1 : reps;
        ms[name] = round(
          asyncReads.has(name)
            ? await emlpStepAsync(model, batch, steps)
            : trainingStepMs(model, batch, steps),
          1,
        );
      } finally {
        model.dispose();
      }
    }
    emlp = {
      task: "inertia",
      repIn: repIn.toString(),
      repOut: repOut.toString(),
      channels,
      layers,
      batch,
      reps,
      ms,
    };
  }

  const common = sizes.filter((n) => matMul.wasm?.[n] && matMul.cpu?.[n]).at(-1) ?? null;
  const ratio = (a: number | undefined, b: number | undefined) =>
    a === undefined || b === undefined || b === 0 ? null : round(a / b, 3);
  const target = (value: number | null, t: number): Target => ({
    value,
    target: t,
    met: value === null ? null : value >= t,
  });
  return {
    machine: machineInfo(),
    sizes,
    backends: reports.map((r) => ({
      name: r.name,
      available: r.status.available,
      ...(r.status.reason ? { reason: r.status.reason } : {}),
      ...(r.status.capabilities ? { capabilities: r.status.capabilities } : {}),
    })),
    addon,
    matMul,
    rawSgemm: raw,
    ...(bundled ? { bundled } : {}),
    skipped,
    emlpStep: emlp,
    targets: {
      nodeMatMulVsRawSgemmAt1024: target(
        ratio(matMul.node?.[1024]?.gflops, raw?.[1024]?.gflops),
        0.8,
      ),
      nodeEmlpStepSpeedupVsWasm: target(ratio(emlp?.ms.wasm, emlp?.ms.node), 3),
      wasmVsCpuMatMul: {
        ...target(
          common === null
            ? null
            : ratio(matMul.wasm?.[common]?.gflops, matMul.cpu?.[common]?.gflops),
          10,
        ),
        size: common,
      },
      wasmEmlpStepSpeedupVsCpu: target(ratio(emlp?.ms.cpu, emlp?.ms.wasm), 10),
    },
  };
}

function round(x: number, digits: number): number {
  return Number(x.toFixed(digits));
}
