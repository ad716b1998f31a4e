import { rng } from "@isotropy/core";
import { EMLP, MLP, type Module, parameterCount } from "@isotropy/layers";
import { registerGradients } from "@isotropy/layers/node";
import { parseGroup, parseRep } from "@isotropy/reps";
import { checkTaskGroup, type Task } from "@isotropy/tasks";
import * as tf from "@tensorflow/tfjs-core";
import { type Registry, selectBackend } from "isotropy";

export interface BenchStepOptions {
  readonly backend?: string;
  /** Classic task names (default: o5-synthetic, inertia, particle-interaction). */
  readonly tasks?: readonly string[];
  readonly channels?: number;
  readonly layers?: number;
  readonly batch?: number;
  /** Timed steps per model after one warm-up step (default 10). */
  readonly reps?: number;
  readonly log?: (line: string) => void;
}

export interface StepTiming {
  /** Forward, MSE loss and gradients of every weight, read back synchronously. */
  readonly stepMs: number;
  readonly forwardMs: number;
  readonly parameterBytes: number;
}

export interface BenchStepResult {
  readonly benchmark: "training-step";
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

/** Runs `fn` once as a warm-up, then `reps` times; mean milliseconds. x, y: random data. */
function meanMs(
  model: SizedModule,
  batch: number,
  reps: number,
  make: (x: tf.Tensor2D, y: tf.Tensor2D) => () => void,
): number {
  const x = tf.randomNormal<tf.Rank.R2>([batch, model.inputSize], 0, 1, "float32", 1);
  const y = tf.randomNormal<tf.Rank.R2>([batch, model.outputSize], 0, 1, "float32", 2);
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

/**
 * Mean milliseconds of one training step (forward, MSE loss, gradients of every weight, the loss
 * read back) on the current tfjs backend, after one warm-up step.
 */
export function trainingStepMs(model: SizedModule, batch: number, reps: number): number {
  const vars = model.weights().map((w) => w.variable);
  return meanMs(model, batch, reps, (x, y) => () => {
    const loss = () => tf.mean(tf.square(tf.sub(model.apply(x), y))) as tf.Scalar;
    const { value, grads } = tf.variableGrads(loss, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  });
}

/** Mean milliseconds of a training step and of a forward pass of `model` on random data. */
export function timeSteps(model: SizedModule, batch: number, reps: number): StepTiming {
  return {
    stepMs: trainingStepMs(model, batch, reps),
    forwardMs: meanMs(model, batch, reps, (x) => () => {
      tf.tidy(() => model.apply(x).dataSync());
    }),
    parameterBytes: 4 * parameterCount(model),
  };
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
  const reps = opts.reps ?? 10;
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
    const e = timeSteps(emlp, batch, reps);
    const planBytes = fusedPlanBytes(emlp);
    const hidden = emlp.hidden[0]?.toString() ?? "";
    emlp.dispose();
    log(`${name}: MLP(${channels})`);
    const mlp = new MLP(repIn.size, repOut.size, { channels, layers, rng: rng(0) });
    const m = timeSteps(mlp, batch, reps);
    mlp.dispose();
    tasks.push({
      task: name,
      group: group.name,
      hidden,
      emlp: { ...e, buildMs, basisTensorBytes, planBytes },
      mlp: m,
      stepRatio: e.stepMs / m.stepMs,
    });
  }
  return { benchmark: "training-step", backend: backend.name, channels, layers, batch, tasks };
}
