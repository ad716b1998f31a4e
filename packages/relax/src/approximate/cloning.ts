import { InvalidArgumentError, type Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import {
  childRng,
  EMLP,
  EquivariantLinear,
  gradientsRegistered,
  MLP,
  type Module,
  modelEquivarianceError,
} from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { ClonedMLP, type CloningMode, SymmetryMismatchError } from "./cloned-mlp.js";
import {
  type CloneSchedule,
  cloningRate,
  type EquivarianceSchedule,
  equivarianceWeightAt,
} from "./cloning-schedules.js";
import { chunkCount, equivarianceDefect, movedBy } from "./equivariance-defect.js";
import { checkChoice, checkPenaltyWeight, checkPositiveInteger } from "./penalties.js";

export interface CloneOptions {
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  readonly rng: Rng;
  /** How the teachers' parameters reach the student (default "single"). */
  readonly mode?: CloningMode;
  /** Student MLP width and depth (defaults 64 and 2). */
  readonly channels?: number;
  readonly layers?: number;
  /** Teacher EMLP width and depth (defaults 16 and `layers`). Ignored when `teacher` is given. */
  readonly teacherChannels?: number;
  readonly teacherLayers?: number;
  /** A teacher to clone (single and init modes): an equivariant model repIn -> repOut. */
  readonly teacher?: EMLP;
  /** Family mode: number of teachers in the pool (default 8). */
  readonly poolSize?: number;
  /** Optimisation steps (default 1000), batch size (default 128), Adam learning rate (3e-3). */
  readonly steps?: number;
  readonly batchSize?: number;
  readonly learningRate?: number;
  /**
   * "constant" (default) or "cosine": the rate falls along a half cosine to 0 at the last step,
   * which takes the student below Adam's noise floor at a constant rate.
   */
  readonly schedule?: CloneSchedule;
  /** Standard deviation of the Gaussian inputs (default 1). */
  readonly inputScale?: number;
  /**
   * Weight of an equivariance term added to the cloning loss (default 0, the paper's pure MSE):
   * `w · mean ||f(rho_in(g) x) - rho_out(g) f(x)||²` for `defectElements` random g per step, on
   * the student alone. The student's error against the teacher is not itself equivariant, so with MSE alone
   * its equivariance error stays near 0.7·sqrt(loss); the term spends capacity on the part of
   * that error that breaks the symmetry. See APPROXIMATE.md for what it costs and buys.
   */
  readonly equivarianceWeight?: number;
  /**
   * "constant" (default): the term's weight is `equivarianceWeight` at every step; "linear": it
   * rises from ~0 at the first step to `equivarianceWeight` at the last, which buys a lower
   * equivariance error for less loss of fit than a constant weight (APPROXIMATE.md).
   */
  readonly equivarianceSchedule?: EquivarianceSchedule;
  /**
   * Group elements per step of the equivariance term (default 1): the batch is cut into that many
   * equal chunks of rows (fewer if the batch size does not divide, see `chunkCount`), each moved
   * by its own element.
   */
  readonly defectElements?: number;
  /**
   * Clone on the orbits of these inputs instead of Gaussians: each cloning input is a random row
   * of `inputs` (row-major, repIn.size each, e.g. the training inputs) moved by its own random
   * group element. The input distribution is then invariant and sits where the data are (for a
   * teacher trained on them, where its function matters).
   */
  readonly inputs?: Float32Array;
  /** Steps (0 = before training) at which loss and equivariance error are recorded. */
  readonly checkpoints?: readonly number[];
  /** Inputs used to measure equivariance errors (default 128). */
  readonly probeSize?: number;
  /** The cloned student's downstream penalty weight (default 1). */
  readonly lambda?: number;
  /** Unpenalised equivariant output adapters, gain and invariant offset (default true). */
  readonly adapters?: boolean;
}

export interface CloneCheckpoint {
  readonly step: number;
  /** MSE on a fresh teacher batch (in units of the teacher's output scale). */
  readonly loss: number;
  readonly equivarianceError: number;
}

export interface CloneReport {
  readonly mode: CloningMode;
  readonly steps: number;
  /**
   * The cloned student's equivariance error (emlp's scale-adjusted error on probes from the
   * cloning distribution: Gaussians, or the orbits of the given inputs).
   */
  readonly equivarianceError: number;
  /** A plain MLP's of the same architecture and seed, untrained. */
  readonly plainEquivarianceError: number;
  /** The teachers' output standard deviation; targets are divided by it. */
  readonly outputScale: number;
  readonly history: readonly CloneCheckpoint[];
}

/** One teacher of the cloning phase: an equivariant forward pass and its code (family mode). */
interface Teacher {
  apply(x: tf.Tensor2D): tf.Tensor2D;
  readonly code: Float32Array | null;
}

/** Throws `SymmetryMismatchError` when the teacher does not map repIn -> repOut of `group`. */
export function checkTeacher(teacher: EMLP, group: Group, repIn: Rep, repOut: Rep): void {
  const fits =
    teacher.group.name === group.name &&
    teacher.repIn.equals(repIn) &&
    teacher.repOut.equals(repOut);
  if (!fits) {
    throw new SymmetryMismatchError(
      `The teacher maps ${teacher.repIn.toString()} -> ${teacher.repOut.toString()} of ${teacher.group.name}; ` +
        `the student is cloned for ${repIn.toString()} -> ${repOut.toString()} of ${group.name}.`,
    );
  }
}

/**
 * Symmetry cloning (Huang, Cheng, Chen, Aspuru-Guzik 2024), cloning phase: a plain MLP
 * (repIn.size -> repOut.size) learns equivariance by regressing, with MSE, the outputs of
 * equivariant teachers (EMLPs of this library with their random Gaussian initial parameters) on
 * Gaussian inputs. Modes:
 *
 * - `single`: one fixed random teacher; the student clones that one equivariant function.
 * - `family`: a pool of `poolSize` teachers sharing the EMLP's hidden blocks, each with its own
 *   random head (the last equivariant linear map); each step draws one. The student reads
 *   [x, code], code = the head's basis coefficients (divided by their RMS over the pool), so it
 *   learns the whole family f(x; code); downstream the code is a trainable input started at the
 *   first teacher's.
 * - `init`: as `single`, but the student's first dense layer starts as the teacher's first
 *   equivariant linear map: the first min(channels, gated width) columns of W^T (and bias), the
 *   remaining columns keep their Glorot draw. Equivariant features from step 0, which shortens
 *   cloning.
 *
 * The student gets unpenalised equivariant output adapters (a scalar gain and an invariant offset,
 * see `ClonedMLP`) unless `adapters: false`; they start at the identity, so they do not change
 * what is cloned, only let the downstream fit the task's output scale and invariant mean.
 *
 * Needs TensorFlow.js gradients (in Node, `registerGradients()` of `@isotropy/layers/node`).
 * Teachers are disposed; the returned student holds theta_cloned for its downstream penalty.
 */
export function cloneSymmetry(opts: CloneOptions): { student: ClonedMLP; report: CloneReport } {
  if (!gradientsRegistered()) {
    throw new InvalidArgumentError(
      "Symmetry cloning trains the student: register TensorFlow.js gradients first " +
        "(registerGradients() of @isotropy/layers/node in Node).",
    );
  }
  const { group, repIn, repOut } = opts;
  const mode = opts.mode ?? "single";
  if (!["single", "family", "init"].includes(mode)) {
    throw new InvalidArgumentError(
      `Unknown cloning mode ${JSON.stringify(mode)}; expected "single", "family" or "init".`,
    );
  }
  if (opts.teacher) {
    checkTeacher(opts.teacher, group, repIn, repOut);
    if (mode === "family") {
      throw new InvalidArgumentError("Family cloning draws its own teachers; omit `teacher`.");
    }
  }
  if (opts.lambda !== undefined) checkPenaltyWeight("lambda", opts.lambda);
  const channels = checkPositiveInteger("The student's channel count", opts.channels ?? 64);
  const layers = opts.layers ?? 2;
  const steps = opts.steps ?? 1000;
  if (!Number.isInteger(steps) || steps < 0) {
    throw new InvalidArgumentError(`steps must be a non-negative integer, got ${steps}.`);
  }
  const batchSize = checkPositiveInteger("batchSize", opts.batchSize ?? 128);
  const schedule = checkChoice<CloneSchedule>("schedule", opts.schedule ?? "constant", [
    "constant",
    "cosine",
  ]);
  const equivarianceSchedule = checkChoice<EquivarianceSchedule>(
    "equivarianceSchedule",
    opts.equivarianceSchedule ?? "constant",
    ["constant", "linear"],
  );
  const equivarianceWeight = checkPenaltyWeight("equivarianceWeight", opts.equivarianceWeight ?? 0);
  const defectElements = checkPositiveInteger("defectElements", opts.defectElements ?? 1);
  const defectChunks = chunkCount(batchSize, defectElements);
  const learningRate = opts.learningRate ?? 3e-3;
  if (!(Number.isFinite(learningRate) && learningRate > 0)) {
    throw new InvalidArgumentError(`learningRate must be a positive number, got ${learningRate}.`);
  }
  const poolSize = checkPositiveInteger("poolSize", opts.poolSize ?? 8);
  const inputScale = opts.inputScale ?? 1;
  const r = opts.rng;
  const nIn = repIn.size;
  const pool = opts.inputs;
  if (pool && (pool.length === 0 || pool.length % nIn !== 0 || !pool.every(Number.isFinite))) {
    throw new InvalidArgumentError(
      `inputs must hold whole, finite rows of ${nIn} values (${repIn.toString()}), got ${pool.length} values.`,
    );
  }

  const ownsTeacher = !opts.teacher;
  const base =
    opts.teacher ??
    new EMLP(repIn, repOut, group, {
      channels: opts.teacherChannels ?? 16,
      layers: opts.teacherLayers ?? layers,
      rng: childRng(r, "teacher"),
    });
  const teachers: Teacher[] = [];
  const heads: EquivariantLinear[] = [];
  if (mode === "family") {
    const hiddenOf = (x: tf.Tensor2D) => tf.tidy(() => base.blocks.reduce((h, b) => b.apply(h), x));
    const rawCodes: Float64Array[] = [];
    const headIn = base.hidden.at(-1) ?? repIn;
    for (let p = 0; p < poolSize; p++) {
      const h =
        p === 0
          ? base.head
          : new EquivariantLinear(headIn, repOut, { rng: childRng(r, `head${p}`) });
      if (p > 0) heads.push(h);
      rawCodes.push(h.basisCoefficients());
      teachers.push({ apply: (x) => tf.tidy(() => h.apply(hiddenOf(x))), code: null });
    }
    let ss = 0;
    let cnt = 0;
    for (const c of rawCodes) {
      for (const v of c) ss += v * v;
      cnt += c.length;
    }
    const rms = Math.sqrt(ss / Math.max(1, cnt)) || 1;
    rawCodes.forEach((c, p) => {
      teachers[p] = { apply: teachers[p]!.apply, code: Float32Array.from(c, (v) => v / rms) };
    });
  } else {
    teachers.push({ apply: (x) => base.apply(x), code: null });
  }
  const codeSize = teachers[0]!.code?.length ?? 0;

  const sample = (m: number) =>
    pool
      ? orbitSample(pool, m, group, repIn, r)
      : tf.tensor2d(Float32Array.from(r.normals(m * nIn, inputScale)), [m, nIn]);
  const withCode = (x: tf.Tensor2D, code: Float32Array | null) =>
    code
      ? (tf.concat(
          [x, tf.tile(tf.tensor2d(code, [1, code.length]), [x.shape[0], 1])],
          1,
        ) as tf.Tensor2D)
      : x;

  // Output scale of the teachers, so that targets have unit variance.
  const outputScale = tf.tidy(() => {
    const x = sample(256);
    const ys = teachers.map((t) => t.apply(x));
    const all = tf.concat(ys, 0);
    const s = Math.sqrt(tf.mean(tf.square(all)).dataSync()[0]!);
    return s > 0 && Number.isFinite(s) ? s : 1;
  });

  const mlp = new MLP(nIn + codeSize, repOut.size, {
    channels,
    layers,
    rng: childRng(r, "student"),
  });
  const plain = new MLP(nIn, repOut.size, { channels, layers, rng: childRng(r, "plain") });
  if (mode === "init") initFromTeacher(mlp, base);
  const student = new ClonedMLP(mlp, {
    group,
    repIn,
    repOut,
    mode,
    ...(opts.lambda === undefined ? {} : { lambda: opts.lambda }),
    ...(teachers[0]!.code ? { code: teachers[0]!.code } : {}),
    adapters: opts.adapters ?? true,
  });

  const probeSize = opts.probeSize ?? 128;
  // Probes from the cloning distribution: Gaussians, or the orbits of the given inputs.
  const probeRng = r.fork("probe");
  const probe = {
    x: pool
      ? (tf.tidy(() =>
          orbitSample(pool, probeSize, group, repIn, probeRng).dataSync(),
        ) as Float32Array)
      : Float32Array.from(probeRng.normals(probeSize * nIn, inputScale)),
    n: probeSize,
  };
  const errorOf = (m: Module) => modelEquivarianceError(m, repIn, repOut, probe, r.fork("probe-g"));
  const checkpoints = new Set(opts.checkpoints ?? []);
  const history: CloneCheckpoint[] = [];
  const lossOf = (t: Teacher) =>
    tf.tidy(() => {
      const x = sample(batchSize);
      const y = tf.div(t.apply(x), outputScale);
      return tf.losses.meanSquaredError(y, mlp.apply(withCode(x, t.code))) as tf.Scalar;
    });
  const record = (step: number) => {
    const loss = tf.tidy(() => lossOf(teachers[0]!).dataSync()[0]!);
    history.push({ step, loss, equivarianceError: errorOf(student) });
  };

  const vars = mlp.weights().map((w) => w.variable);
  const optimizer = tf.train.adam(learningRate);
  // tfjs's Adam reads its rate on every update, so a schedule is an assignment per step.
  const rated = optimizer as unknown as { learningRate: number };
  try {
    if (checkpoints.has(0)) record(0);
    for (let step = 1; step <= steps; step++) {
      rated.learningRate = cloningRate(learningRate, step, steps, schedule);
      const w = equivarianceWeightAt(equivarianceWeight, step, steps, equivarianceSchedule);
      const t = teachers[mode === "family" ? r.int(teachers.length) : 0]!;
      tf.tidy(() => {
        const x = sample(batchSize);
        const y = tf.div(t.apply(x), outputScale);
        const xin = withCode(x, t.code);
        const moved =
          equivarianceWeight > 0
            ? movedBy(
                Array.from({ length: defectChunks }, () => group.sample(r)),
                repIn,
                repOut,
              )
            : null;
        optimizer.minimize(
          () => {
            const fx = mlp.apply(xin);
            const fit = tf.losses.meanSquaredError(y, fx) as tf.Scalar;
            if (!moved) return fit;
            const f = (z: tf.Tensor2D) => mlp.apply(withCode(z, t.code));
            const defect = equivarianceDefect(f, x, moved, fx);
            return tf.add(fit, tf.mul(w, defect)) as tf.Scalar;
          },
          false,
          vars,
        );
      });
      if (checkpoints.has(step)) record(step);
    }
  } finally {
    optimizer.dispose();
    for (const h of heads) h.dispose();
    if (ownsTeacher) base.dispose();
  }
  student.markCloned();
  // A given teacher's output scale is the task's: start the gain there, so the student begins
  // downstream as the teacher's copy rather than as the copy divided by its scale.
  if (opts.teacher && student.adapters) student.setOutputGain(outputScale);
  const report: CloneReport = {
    mode,
    steps,
    equivarianceError: errorOf(student),
    plainEquivarianceError: errorOf(plain),
    outputScale,
    history,
  };
  plain.dispose();
  return { student, report };
}

/**
 * Copies the teacher's first equivariant linear map into the student's first dense layer where
 * the shapes allow: columns 0..k-1 of the dense weight [in, channels] and bias get the first k
 * columns of W^T [in, gated width] and the bias, k = min(channels, gated width), and the code
 * inputs (if any) keep their draw.
 */
function initFromTeacher(mlp: MLP, teacher: EMLP): void {
  const first = teacher.blocks[0]?.linear ?? teacher.head;
  const dense = mlp.dense[0]!;
  const [w, b] = dense.weights().map((x) => x.variable);
  tf.tidy(() => {
    const wt = first.weightTransposed(); // [in, gated]
    const k = Math.min(w!.shape[1]!, wt.shape[1]);
    const rows = wt.shape[0];
    const head = tf.slice(wt, [0, 0], [rows, k]);
    const top = tf.concat([head, tf.slice(w!, [0, k], [rows, w!.shape[1]! - k])], 1);
    const rest = w!.shape[0]! > rows ? [tf.slice(w!, [rows, 0], [w!.shape[0]! - rows, -1])] : [];
    w!.assign(rest.length ? tf.concat([top, ...rest], 0) : top);
    const bias = first.bias();
    b!.assign(tf.concat([tf.slice(bias, 0, k), tf.slice(b!, k, b!.shape[0]! - k)], 0));
  });
}

/** m random rows of `pool`, each moved by its own random element g of `group`: rho_in(g) x. */
function orbitSample(pool: Float32Array, m: number, group: Group, repIn: Rep, r: Rng): tf.Tensor2D {
  const n = repIn.size;
  const rows = pool.length / n;
  const out = new Float32Array(m * n);
  for (let s = 0; s < m; s++) {
    const at = r.int(rows) * n;
    const rho = repIn.rho(group.sample(r)).data;
    for (let i = 0; i < n; i++) {
      let acc = 0;
      for (let j = 0; j < n; j++) acc += (rho[i * n + j] as number) * (pool[at + j] as number);
      out[s * n + i] = acc;
    }
  }
  return tf.tensor2d(out, [m, n]);
}
