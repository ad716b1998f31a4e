import { InvalidArgumentError, type Rng, ShapeError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";

/** One trainable tensor of a module, under a name that is unique and stable within the model. */
export interface NamedWeight {
  /** Dotted path, e.g. `layers.0.linear.coeffs.3`; the key under which it is saved. */
  readonly name: string;
  readonly variable: tf.Variable;
}

/** What a forward pass may need besides its input. */
export interface ApplyContext {
  /** Training-time behaviour (e.g. group augmentation); false or absent at evaluation. */
  readonly training?: boolean;
  /** Randomness for training-time behaviour; modules that need it fall back to their own stream. */
  readonly rng?: Rng;
}

/**
 * The contract every layer and model of this package implements, and the one the trainer relies
 * on: named weights, a forward pass on a batch `[batch, features]`, and an optional penalty that
 * the loss adds (relaxed layers use it).
 */
export interface Module {
  /** A human label ("EquivariantLinear", "EMLP", ...); weight names carry the structure. */
  readonly name: string;
  /** Every trainable variable, in a stable order, with unique names. */
  weights(): NamedWeight[];
  /** The forward pass. Throws `ShapeError` on a wrong-shaped input. */
  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D;
  /** A scalar added to the training loss (absent: none). */
  penalty?(): tf.Scalar;
  /** Input feature count, when fixed. */
  readonly inputSize?: number;
  /** Output feature count, when fixed. */
  readonly outputSize?: number;
  /** String facts saved with the weights and checked on load (model kind, group, reps, ...). */
  metadata?(): Record<string, string>;
  /** Frees the variables and cached constant tensors. */
  dispose?(): void;
}

/** The weights of a child module, renamed under `prefix.`. */
export function prefixWeights(prefix: string, weights: readonly NamedWeight[]): NamedWeight[] {
  return weights.map((w) => ({ name: `${prefix}.${w.name}`, variable: w.variable }));
}

/** The number of trainable scalars of a module. */
export function parameterCount(module: Module): number {
  return module.weights().reduce((s, w) => s + w.variable.size, 0);
}

/** Checks that `x` is a rank-2 batch with `size` features; throws `ShapeError` otherwise. */
export function checkInput(x: tf.Tensor, size: number, what: string): void {
  if (x.rank !== 2 || x.shape[1] !== size) {
    throw new ShapeError(`${what} input`, `[batch, ${size}]`, `[${x.shape.join(", ")}]`);
  }
}

/**
 * A float32 trainable variable holding `values` (leaves no stray tensor behind, and survives an
 * enclosing `tf.tidy`).
 */
export function makeVariable(values: ArrayLike<number>, shape: number[]): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(Float32Array.from(values), shape, "float32")));
}

/**
 * An independent stream for a child layer: `rng.fork(label)`, after which `rng` moves on by one
 * draw, so that two models built one after the other from the same generator differ while each
 * stays reproducible.
 */
export function childRng(rng: Rng, label: string): Rng {
  const child = rng.fork(label);
  rng.uint32();
  return child;
}

/**
 * Throws `InvalidArgumentError` naming the first non-finite entry of `x` (reads the tensor
 * back, so it is meant for data at the boundary, e.g. once per data set, not per batch).
 */
export function assertFinite(x: tf.Tensor, what: string): void {
  const data = x.dataSync();
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const cols = x.rank >= 2 ? x.shape[x.rank - 1]! : data.length;
      const at = x.rank >= 2 ? `row ${Math.floor(i / cols)}, column ${i % cols}` : `entry ${i}`;
      throw new InvalidArgumentError(`${what} must be finite; ${at} is ${data[i]}.`);
    }
  }
}
