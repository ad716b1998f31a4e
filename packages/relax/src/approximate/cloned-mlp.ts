import { InvalidArgumentError, rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import {
  type ApplyContext,
  checkInput,
  decodeSafetensors,
  importWeights,
  MLP,
  type Module,
  makeVariable,
  type NamedWeight,
  prefixWeights,
  WeightFileError,
} from "@isotropy/layers";
import { equivariantBasis, type Rep, Scalar } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { checkPenaltyWeight } from "./penalties.js";

/** How the teacher's parameters reach the student during cloning (see `cloneSymmetry`). */
export type CloningMode = "single" | "family" | "init";

export const CLONING_MODES: readonly CloningMode[] = ["single", "family", "init"];

/**
 * Symmetry that does not fit: a teacher and a student whose reps differ, or a cloned checkpoint
 * loaded for another group or other reps. The message names both sides.
 */
export class SymmetryMismatchError extends WeightFileError {}

export interface ClonedMLPOptions {
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  readonly mode: CloningMode;
  /** Weight of the downstream penalty lambda ||theta - theta_cloned||² (default 1). */
  readonly lambda?: number;
  /** The teacher code (family mode): a trainable extra input, not penalised. */
  readonly code?: Float32Array;
  /**
   * Equivariant output adapters (default false): y = exp(ADAPTER_RATE g) f(x) + ADAPTER_RATE u B,
   * a scalar gain and an invariant offset (B: an orthonormal basis of the invariant vectors of
   * repOut), both trainable and not penalised. They commute with the group, so they let the
   * downstream fit the task's output scale and invariant mean without leaving the cloned symmetry.
   */
  readonly adapters?: boolean;
}

/**
 * The adapters' parameters are multiplied by this, so that Adam (steps of about the learning
 * rate) can move the output scale and offset by O(1) in tens of steps rather than thousands.
 */
export const ADAPTER_RATE = 30;

/** An orthonormal basis [dim, size] of the invariant vectors of `rep` (rows), as Float32. */
function invariantBasis(rep: Rep): { rows: Float32Array; dim: number } {
  const basis = equivariantBasis(Scalar(rep.group), rep);
  const rows: number[][] = [];
  for (let k = 0; k < basis.dim; k++) {
    const onehot = new Float64Array(basis.dim);
    onehot[k] = 1;
    const w = basis.weight(onehot);
    let v = Array.from({ length: rep.size }, (_, i) => w.get(i, 0));
    for (const r of rows) {
      const d = r.reduce((a, x, i) => a + x * v[i]!, 0);
      v = v.map((x, i) => x - d * r[i]!);
    }
    const n = Math.hypot(...v);
    if (n > 1e-8) rows.push(v.map((x) => x / n));
  }
  return { rows: Float32Array.from(rows.flat()), dim: rows.length };
}

/**
 * A cloned student: a plain MLP that has learned a symmetry by imitating equivariant teachers
 * (`cloneSymmetry`), with the downstream prior `penalty()` = lambda Σ ||theta - theta_cloned||²
 * over the MLP's weights and biases (a Gaussian prior of variance 1/(2 lambda) around the cloned
 * weights): large lambda keeps the learned symmetry, small lambda lets the data break it.
 *
 * In `family` mode the MLP reads [x, code]: `code` is a trainable variable holding a teacher code
 * (initially that of the first teacher of the pool); moving it stays within the cloned family,
 * so it is not penalised. With `adapters`, an unpenalised scalar gain and invariant output offset
 * (equivariant by construction) follow the MLP. Weights `student.layers.i.weight|bias`, `code`,
 * `adapter.gain|offset`. The metadata record the group, reps, mode, sizes and adapters, and
 * `importCloned` checks them.
 */
export class ClonedMLP implements Module {
  readonly name = "ClonedMLP";
  readonly inputSize: number;
  readonly outputSize: number;
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  readonly mode: CloningMode;
  readonly code: tf.Variable<tf.Rank.R1> | null;
  /** The output adapters (log gain [1], invariant offset coefficients [dim]), when on. */
  readonly adapters: {
    readonly gain: tf.Variable<tf.Rank.R1>;
    /** Null when repOut has no invariant vectors. */
    readonly offset: tf.Variable<tf.Rank.R1> | null;
    readonly basis: tf.Tensor2D | null;
  } | null;
  private lambdaValue: number;
  private anchor: tf.Tensor[] = [];

  constructor(
    readonly mlp: MLP,
    opts: ClonedMLPOptions,
  ) {
    this.group = opts.group;
    this.repIn = opts.repIn;
    this.repOut = opts.repOut;
    this.mode = opts.mode;
    this.lambdaValue = checkPenaltyWeight("lambda", opts.lambda ?? 1);
    const codeSize = opts.code?.length ?? 0;
    if (mlp.inputSize !== opts.repIn.size + codeSize || mlp.outputSize !== opts.repOut.size) {
      throw new SymmetryMismatchError(
        `The student MLP maps ${mlp.inputSize} -> ${mlp.outputSize} features; the teacher's reps ` +
          `${opts.repIn.toString()} -> ${opts.repOut.toString()} need ` +
          `${opts.repIn.size}${codeSize ? ` + ${codeSize} (code)` : ""} -> ${opts.repOut.size}.`,
      );
    }
    this.inputSize = opts.repIn.size;
    this.outputSize = opts.repOut.size;
    this.code = opts.code
      ? (makeVariable(opts.code, [opts.code.length]) as tf.Variable<tf.Rank.R1>)
      : null;
    if (opts.adapters) {
      const inv = invariantBasis(opts.repOut);
      this.adapters = {
        gain: makeVariable(new Float32Array(1), [1]) as tf.Variable<tf.Rank.R1>,
        offset:
          inv.dim > 0
            ? (makeVariable(new Float32Array(inv.dim), [inv.dim]) as tf.Variable<tf.Rank.R1>)
            : null,
        basis: inv.dim > 0 ? tf.keep(tf.tensor2d(inv.rows, [inv.dim, opts.repOut.size])) : null,
      };
    } else {
      this.adapters = null;
    }
    this.markCloned();
  }

  /** The current weight of the downstream penalty. */
  get lambda(): number {
    return this.lambdaValue;
  }

  /** Sets the downstream penalty's weight (>= 0; `InvalidArgumentError` naming lambda otherwise). */
  setLambda(lambda: number): void {
    this.lambdaValue = checkPenaltyWeight("lambda", lambda);
  }

  /**
   * Sets the adapters' output gain to `gain` (> 0): used after cloning a given teacher, whose
   * targets were divided by its output scale. Without adapters it throws.
   */
  setOutputGain(gain: number): void {
    if (!this.adapters) {
      throw new InvalidArgumentError(
        "This cloned student has no output adapters to set a gain on.",
      );
    }
    if (!(Number.isFinite(gain) && gain > 0)) {
      throw new InvalidArgumentError(`The output gain must be a positive number, got ${gain}.`);
    }
    this.adapters.gain.assign(tf.tensor1d([Math.log(gain) / ADAPTER_RATE]));
  }

  /** Takes the current MLP weights as theta_cloned (done at construction and after cloning). */
  markCloned(): void {
    tf.dispose(this.anchor);
    this.anchor = this.mlp.weights().map((w) => tf.keep(tf.clone(w.variable)));
  }

  weights(): NamedWeight[] {
    return [
      ...prefixWeights("student", this.mlp.weights()),
      ...(this.code ? [{ name: "code", variable: this.code }] : []),
      ...(this.adapters
        ? [
            { name: "adapter.gain", variable: this.adapters.gain },
            ...(this.adapters.offset
              ? [{ name: "adapter.offset", variable: this.adapters.offset }]
              : []),
          ]
        : []),
    ];
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    return tf.tidy(() => {
      let xin = x;
      if (this.code) {
        const code = tf.tile(tf.reshape(this.code, [1, -1]), [x.shape[0], 1]);
        xin = tf.concat([x, code], 1) as tf.Tensor2D;
      }
      const y = this.mlp.apply(xin, ctx);
      const a = this.adapters;
      if (!a) return y;
      const scaled = tf.mul(y, tf.exp(tf.mul(ADAPTER_RATE, a.gain)));
      if (!a.offset || !a.basis) return scaled as tf.Tensor2D;
      const offset = tf.matMul(tf.reshape(tf.mul(ADAPTER_RATE, a.offset), [1, -1]), a.basis);
      return tf.add(scaled, offset) as tf.Tensor2D;
    });
  }

  /** Σ ||theta - theta_cloned||², unweighted. */
  squaredDistanceToClone(): tf.Scalar {
    return tf.tidy(() => {
      const terms = this.mlp
        .weights()
        .map((w, i) => tf.sum(tf.square(tf.sub(w.variable, this.anchor[i]!))));
      return tf.addN(terms) as tf.Scalar;
    });
  }

  penalty(): tf.Scalar {
    return tf.tidy(() => tf.mul(this.lambdaValue, this.squaredDistanceToClone()) as tf.Scalar);
  }

  metadata(): Record<string, string> {
    return {
      kind: "ClonedMLP",
      group: this.group.name,
      repIn: this.repIn.toString(),
      repOut: this.repOut.toString(),
      mode: this.mode,
      channels: String(this.mlp.channels),
      layers: String(this.mlp.dense.length - 1),
      codeSize: String(this.code?.size ?? 0),
      adapters: this.adapters ? "1" : "0",
    };
  }

  dispose(): void {
    tf.dispose(this.anchor);
    this.anchor = [];
    this.mlp.dispose();
    this.code?.dispose();
    if (this.adapters) {
      const { gain, offset, basis } = this.adapters;
      tf.dispose([gain, ...(offset ? [offset] : []), ...(basis ? [basis] : [])]);
    }
  }
}

/** What a cloned checkpoint must fit. */
export interface ImportClonedOptions {
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  /** The downstream penalty weight of the loaded student (default 1). */
  readonly lambda?: number;
}

/**
 * Loads a cloned student from weight-file bytes (`exportWeights(student)`, or the file of
 * `saveWeights` from `@isotropy/layers/node`): checks that it is a `ClonedMLP` checkpoint for the
 * same group and reps (`SymmetryMismatchError` naming the file's and the requested ones), builds
 * the MLP of the recorded sizes, loads it, and takes the loaded weights as theta_cloned.
 */
export function importCloned(bytes: Uint8Array, opts: ImportClonedOptions): ClonedMLP {
  const { metadata } = decodeSafetensors(bytes);
  if (metadata.kind !== "ClonedMLP") {
    throw new WeightFileError(
      `The weight file holds a ${metadata.kind ?? "model of unknown kind"}, not a cloned student (ClonedMLP).`,
    );
  }
  const want = {
    group: opts.group.name,
    repIn: opts.repIn.toString(),
    repOut: opts.repOut.toString(),
  };
  for (const key of ["group", "repIn", "repOut"] as const) {
    if (metadata[key] !== want[key]) {
      throw new SymmetryMismatchError(
        `The cloned checkpoint was cloned for ${key} ${JSON.stringify(metadata[key] ?? null)}, ` +
          `but ${JSON.stringify(want[key])} was requested ` +
          `(file: ${metadata.group} ${metadata.repIn} -> ${metadata.repOut}; requested: ` +
          `${want.group} ${want.repIn} -> ${want.repOut}).`,
      );
    }
  }
  const mode = metadata.mode as CloningMode;
  if (!CLONING_MODES.includes(mode)) {
    throw new WeightFileError(`The cloned checkpoint has an unknown mode ${JSON.stringify(mode)}.`);
  }
  const channels = Number(metadata.channels);
  const layers = Number(metadata.layers);
  const codeSize = Number(metadata.codeSize ?? 0);
  if (![channels, layers, codeSize].every((v) => Number.isInteger(v) && v >= 0)) {
    throw new InvalidArgumentError(
      `The cloned checkpoint's sizes are unreadable: channels ${metadata.channels}, layers ${metadata.layers}, codeSize ${metadata.codeSize}.`,
    );
  }
  const mlp = new MLP(opts.repIn.size + codeSize, opts.repOut.size, {
    channels,
    layers,
    rng: rng("import"),
  });
  const student = new ClonedMLP(mlp, {
    group: opts.group,
    repIn: opts.repIn,
    repOut: opts.repOut,
    mode,
    ...(opts.lambda === undefined ? {} : { lambda: opts.lambda }),
    ...(codeSize > 0 ? { code: new Float32Array(codeSize) } : {}),
    adapters: metadata.adapters === "1",
  });
  try {
    importWeights(student, bytes);
  } catch (e) {
    student.dispose();
    throw e;
  }
  student.markCloned();
  return student;
}
