import { InvalidArgumentError } from "@isotropy/core";
import { Matrix } from "@isotropy/linalg";
import { equivariantBasis, type Rep, Scalar } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { type ApplyContext, checkInput, type Module, type NamedWeight } from "./module.js";
import { leafInstances } from "./rep-layout.js";

/** A per-coordinate statistic: one number for all coordinates, or one per coordinate. */
export type Stat = number | ArrayLike<number>;

export interface StandardizeOptions {
  /** Inputs are divided by this (default 1). */
  readonly inputScale?: Stat;
  /** Subtracted from the inputs before scaling (default 0; must be invariant to keep equivariance). */
  readonly inputMean?: Stat;
  /** Outputs are multiplied by this (default 1). */
  readonly outputScale?: Stat;
  /** Added to the outputs after scaling (default 0). */
  readonly outputMean?: Stat;
  /**
   * When given, the statistics are checked to keep equivariance: scales constant on every leaf
   * copy (a scalar multiple of the identity commutes with rho), means invariant vectors.
   */
  readonly repIn?: Rep;
  readonly repOut?: Rep;
  readonly name?: string;
}

/**
 * Wraps a model in fixed input/output standardisation: y = model((x - μ_in) / s_in) · s_out + μ_out
 * (emlp's `Standardize`). Equivariant whenever the scales are constant per block and the means
 * are invariant (checked when repIn / repOut are given). Adds no weights; the statistics are part
 * of `metadata()`, so that loading weights into a differently standardised model fails.
 */
export class Standardize implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** The wrapped model's penalty, when it has one. */
  readonly penalty?: () => tf.Scalar;
  private readonly stats: {
    inScale: Float32Array;
    inMean: Float32Array;
    outScale: Float32Array;
    outMean: Float32Array;
  };
  private readonly tensors: {
    inScale: tf.Tensor;
    inMean: tf.Tensor;
    outScale: tf.Tensor;
    outMean: tf.Tensor;
  };

  constructor(
    readonly module: Module,
    opts: StandardizeOptions,
  ) {
    if (module.penalty) this.penalty = () => module.penalty!();
    this.name = opts.name ?? "Standardize";
    const nIn = module.inputSize ?? opts.repIn?.size;
    const nOut = module.outputSize ?? opts.repOut?.size;
    if (nIn === undefined || nOut === undefined) {
      throw new InvalidArgumentError(
        "Standardize needs a module with fixed input and output sizes, or repIn and repOut.",
      );
    }
    this.inputSize = nIn;
    this.outputSize = nOut;
    const inScale = expand(opts.inputScale ?? 1, nIn, "inputScale", true);
    const inMean = expand(opts.inputMean ?? 0, nIn, "inputMean", false);
    const outScale = expand(opts.outputScale ?? 1, nOut, "outputScale", true);
    const outMean = expand(opts.outputMean ?? 0, nOut, "outputMean", false);
    if (opts.repIn) {
      checkSize(opts.repIn, nIn, "repIn");
      checkBlockConstant(opts.repIn, inScale, "inputScale");
      checkInvariant(opts.repIn, inMean, "inputMean");
    }
    if (opts.repOut) {
      checkSize(opts.repOut, nOut, "repOut");
      checkBlockConstant(opts.repOut, outScale, "outputScale");
      checkInvariant(opts.repOut, outMean, "outputMean");
    }
    this.stats = { inScale, inMean, outScale, outMean };
    this.tensors = {
      inScale: tf.keep(tf.tensor2d(inScale, [1, nIn])),
      inMean: tf.keep(tf.tensor2d(inMean, [1, nIn])),
      outScale: tf.keep(tf.tensor2d(outScale, [1, nOut])),
      outMean: tf.keep(tf.tensor2d(outMean, [1, nOut])),
    };
  }

  weights(): NamedWeight[] {
    return this.module.weights();
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    const t = this.tensors;
    return tf.tidy(() => {
      const xs = tf.div(tf.sub(x, t.inMean), t.inScale) as tf.Tensor2D;
      return tf.add(tf.mul(this.module.apply(xs, ctx), t.outScale), t.outMean) as tf.Tensor2D;
    });
  }

  metadata(): Record<string, string> {
    const s = this.stats;
    return {
      ...(this.module.metadata?.() ?? {}),
      standardize: JSON.stringify({
        inputScale: Array.from(s.inScale),
        inputMean: Array.from(s.inMean),
        outputScale: Array.from(s.outScale),
        outputMean: Array.from(s.outMean),
      }),
    };
  }

  dispose(): void {
    for (const t of Object.values(this.tensors)) t.dispose();
    this.module.dispose?.();
  }
}

function expand(s: Stat, n: number, what: string, positive: boolean): Float32Array {
  const out = typeof s === "number" ? new Float32Array(n).fill(s) : Float32Array.from(s);
  if (out.length !== n) {
    throw new InvalidArgumentError(
      `Standardize: ${what} has ${out.length} entries, expected ${n}.`,
    );
  }
  for (const v of out) {
    if (!Number.isFinite(v) || (positive && !(v > 0))) {
      throw new InvalidArgumentError(
        `Standardize: ${what} must be ${positive ? "positive and " : ""}finite, got ${v}.`,
      );
    }
  }
  return out;
}

function checkSize(rep: Rep, n: number, what: string): void {
  if (rep.size !== n) {
    throw new InvalidArgumentError(
      `Standardize: ${what} ${rep.toString()} has size ${rep.size}, the model ${n}.`,
    );
  }
}

function checkBlockConstant(rep: Rep, s: Float32Array, what: string): void {
  for (const inst of leafInstances(rep)) {
    const first = s[inst.positions[0]!]!;
    for (const p of inst.positions) {
      if (s[p] !== first) {
        throw new InvalidArgumentError(
          `Standardize: ${what} must be constant on each copy of ${inst.leaf.toString()} to keep ` +
            `equivariance (coordinate ${p} has ${s[p]}, coordinate ${inst.positions[0]} has ${first}).`,
        );
      }
    }
  }
}

function checkInvariant(rep: Rep, mean: Float32Array, what: string): void {
  if (mean.every((v) => v === 0)) return;
  const basis = equivariantBasis(Scalar(rep.group), rep);
  const m = new Matrix(rep.size, 1, Float64Array.from(mean));
  const residual = basis.dim === 0 ? m : m.sub(basis.project(m));
  const norm = m.frobeniusNorm();
  if (residual.frobeniusNorm() > 1e-6 * norm) {
    throw new InvalidArgumentError(
      `Standardize: ${what} must be an invariant vector of ${rep.toString()} to keep equivariance ` +
        `(its non-invariant part has norm ${residual.frobeniusNorm().toExponential(2)} of ${norm.toExponential(2)}).`,
    );
  }
}
