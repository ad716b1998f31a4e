import { rng } from "@isotropy/core";
import { EMLP, MLP, type Module, parameterCount } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { parseGroup, parseRep } from "@isotropy/reps";
import { checkTaskGroup, type Task } from "@isotropy/tasks";
import * as tf from "@tensorflow/tfjs-core";
import { type Registry, selectBackend } from "isotropy";
import { type KernelBreakdown, kernelBreakdown } from "./kernel-times.js";
import { type MachineInfo, machineInfo } from "./machine.js";

export interface BenchStepOptions {
  readonly backend?: string;
  /** Classic task names (default: o5-synthetic, inertia, particle-interaction). */
  readonly tasks?: readonly string[];
  readonly channels?: number;
  readonly layers?: number;
  readonly batch?: number;
  /** Rounds of one timed step of each model, after one warm-up step each (default 20). */
  readonly reps?: number;
  /** Also time every kernel of `reps` more steps per model (`KernelBreakdown`). */
  readonly kernels?: boolean;
  readonly log?: (line: string) => void;
}

export interface StepTiming {
  /**
   * Forward, MSE loss and gradients of every weight, read back synchronously: the median over
   * the timed steps, which alternate with the other model's (see `pairedStepMs`).
   */
  readonly stepMs: number;
  readonly forwardMs: number;
  readonly parameterBytes: number;
  /** With `kernels`: where the step's time goes, from separate steps timed kernel by kernel. */
  readonly breakdown?: KernelBreakdown;
}

export interface BenchStepResult {
  readonly benchmark: "training-step";
  readonly machine: MachineInfo;
  readonly backend: string;
  readonly channels: number;
  readonly layers: number;
  readonly batch: number;
  readonly tasks: {
    readonly task: string;
    readonly group: string;
    readonly hidden: string;
    readonly emlp: StepTiming & {
      readonly buildMs: number;
      /** Backend tensor bytes the model holds beyond its parameters: bases, indices. */
      readonly basisTensorBytes: number;
      /**
       * Bytes of the typed arrays in the fused-kernel plans (assembly, linear, bilinear, gate), which
       * backends with those kernels (node) read instead of some of the tensors above.
       */
      readonly planBytes: number;
    };
    readonly mlp: StepTiming;
    /** EMLP step / MLP step (issue target: at most 1.5 on o5-synthetic and inertia). */
    readonly stepRatio: number;
    /** Quartiles [q1, q3] of the per-round ratios (one EMLP and one MLP step each). */
    readonly stepRatioQuartiles: readonly [number, number];
  }[];
}

/** Distinct array buffers held by an EMLP's fused-kernel plans, in bytes. */
function fusedPlanBytes(emlp: EMLP): number {
  const plans: unknown[] = [
    ...emlp.blocks.flatMap((b) => [
      ...b.linear.assemblyPlans(),
      b.linear.linearPlan(),
      b.bilinear.fusedPlan(),
      b.nonlinearity.fusedPlan(),
    ]),
    ...emlp.head.assemblyPlans(),
    emlp.head.linearPlan(),
  ];
  const buffers = new Set<ArrayBufferLike>();
  const visit = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) buffers.add(v.buffer);
    else if (Array.isArray(v)) v.forEach(visit);
    else if (v !== null && typeof v === "object") Object.values(v).forEach(visit);
  };
  plans.forEach(visit);
  let bytes = 0;
  for (const b of buffers) bytes += b.byteLength;
  return bytes;
}

export const DEFAULT_STEP_TASKS = ["o5-synthetic", "inertia", "particle-interaction"] as const;

type SizedModule = Module & { readonly inputSize: number; readonly outputSize: number };

/** Fixed random inputs and targets for `model`, seeded. */
function randomData(model: SizedModule, batch: number): [tf.Tensor2D, tf.Tensor2D] {
  return [
    tf.randomNormal<tf.Rank.R2>([batch, model.inputSize], 0, 1, "float32", 1),
    tf.randomNormal<tf.Rank.R2>([batch, model.outputSize], 0, 1, "float32", 2),
  ];
}

/** Runs `fn` once as a warm-up, then `reps` times; mean milliseconds. x, y: random data. */
function meanMs(
  model: SizedModule,
  batch: number,
  reps: number,
  make: (x: tf.Tensor2D, y: tf.Tensor2D) => () => void,
): number {
  const [x, y] = randomData(model, batch);
  try {
    const fn = make(x, y);
    fn();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    return (performance.now() - t0) / reps;
  } finally {
    tf.dispose([x, y]);
  }
}

/** One training step of `model` on fixed random data, timed; `dispose` frees the data. */
function stepTimer(model: SizedModule, batch: number): { step(): number; dispose(): void } {
  const [x, y] = randomData(model, batch);
  const vars = model.weights().map((w) => w.variable);
  const loss = () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar;
  return {
    step() {
      const t0 = performance.now();
      const { value, grads } = tf.variableGrads(loss, vars);
      value.dataSync();
      const ms = performance.now() - t0;
      tf.dispose([value, ...Object.values(grads)]);
      return ms;
    },
    dispose: () => tf.dispose([x, y]),
  };
}

/**
 * Mean milliseconds of one training step (forward, MSE loss, gradients of every weight, the loss
 * read back) on the current tfjs backend, after one warm-up step.
 */
export function trainingStepMs(model: SizedModule, batch: number, reps: number): number {
  const timer = stepTimer(model, batch);
  try {
    timer.step();
    let total = 0;
    for (let i = 0; i < reps; i++) total += timer.step();
    return total / reps;
  } finally {
    timer.dispose();
  }
}

/** The q-quantile of `values` (linear interpolation). */
function quantile(values: readonly number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  const at = (v.length - 1) * q;
  const lo = Math.floor(at);
  return v[lo]! + (v[Math.min(lo + 1, v.length - 1)]! - v[lo]!) * (at - lo);
}

/**
 * Training-step milliseconds of two models measured side by side: one warm-up step each, then
 * `reps` rounds of one step of each, the order alternating from round to round. On a shared or
 * throttled machine the speed drifts over seconds; a round's two steps see the same drift, so
 * the medians and the per-round ratios compare like with like, where two back-to-back means
 * did not.
 */
export function pairedStepMs(
  a: SizedModule,
  b: SizedModule,
  batch: number,
  reps: number,
): { a: number[]; b: number[] } {
  const ta = stepTimer(a, batch);
  const tb = stepTimer(b, batch);
  try {
    ta.step();
    tb.step();
    const out = { a: [] as number[], b: [] as number[] };
    for (let r = 0; r < reps; r++) {
      if (r % 2 === 0) {
        out.a.push(ta.step());
        out.b.push(tb.step());
      } else {
        out.b.push(tb.step());
        out.a.push(ta.step());
      }
    }
    return out;
  } finally {
    ta.dispose();
    tb.dispose();
  }
}

/** A model's timings: its median step (from `pairedStepMs`) and mean forward pass. */
function timing(
  model: SizedModule,
  stepMs: readonly number[],
  batch: number,
  reps: number,
  kernels: boolean,
): StepTiming {
  const out = {
    stepMs: quantile(stepMs, 0.5),
    forwardMs: meanMs(model, batch, reps, (x) => () => {
      tf.tidy(() => model.apply(x).dataSync());
    }),
    parameterBytes: 4 * parameterCount(model),
  };
  if (!kernels) return out;
  const timer = stepTimer(model, batch);
  try {
    return { ...out, breakdown: kernelBreakdown(() => timer.step(), reps) };
  } finally {
    timer.dispose();
  }
}

/**
 * Issue 4's performance benchmark in one run on one backend: per classic task, the training step
 * (batch 500) of EMLP(channels, layers) and of the MLP of the same widths, their ratio, and the
 * memory of EMLP's basis structures.
 */
export async function benchStep(
  registry: Registry,
  opts: BenchStepOptions = {},
): Promise<BenchStepResult> {
  const channels = opts.channels ?? 384;
  const layers = opts.layers ?? 3;
  const batch = opts.batch ?? 500;
  const reps = opts.reps ?? 20;
  const log = opts.log ?? (() => {});
  const backend = await selectBackend(registry, opts.backend ?? "auto");
  await registerGradients();
  const tasks: BenchStepResult["tasks"][number][] = [];
  for (const name of opts.tasks ?? DEFAULT_STEP_TASKS) {
    const task = registry.create<Task>("tasks", name);
    const group = parseGroup(task.groupName, registry);
    checkTaskGroup(task, group);
    const repIn = parseRep(task.repIn, group, registry);
    const repOut = parseRep(task.repOut, group, registry);
    log(`${name}: EMLP(${channels}) on ${backend.name}`);
    const bytes0 = tf.memory().numBytes;
    const t0 = performance.now();
    const emlp = new EMLP(repIn, repOut, group, { channels, layers, rng: rng(0) });
    const buildMs = performance.now() - t0;
    const basisTensorBytes = tf.memory().numBytes - bytes0 - 4 * parameterCount(emlp);
    const planBytes = fusedPlanBytes(emlp);
    const hidden = emlp.hidden[0]?.toString() ?? "";
    const mlp = new MLP(repIn.size, repOut.size, { channels, layers, rng: rng(0) });
    log(`${name}: EMLP(${channels}) and MLP(${channels}) steps, ${reps} rounds`);
    const steps = pairedStepMs(emlp, mlp, batch, reps);
    const e = timing(emlp, steps.a, batch, reps, opts.kernels ?? false);
    const m = timing(mlp, steps.b, batch, reps, opts.kernels ?? false);
    const ratios = steps.a.map((ms, r) => ms / steps.b[r]!);
    emlp.dispose();
    mlp.dispose();
    tasks.push({
      task: name,
      group: group.name,
      hidden,
      emlp: { ...e, buildMs, basisTensorBytes, planBytes },
      mlp: m,
      stepRatio: e.stepMs / m.stepMs,
      stepRatioQuartiles: [quantile(ratios, 0.25), quantile(ratios, 0.75)],
    });
  }
  return {
    benchmark: "training-step",
    machine: machineInfo(),
    backend: backend.name,
    channels,
    layers,
    batch,
    tasks,
  };
}
