import { rng as makeRng, type Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { type ApplyContext, type Module, type NamedWeight, prefixWeights } from "@isotropy/layers";
import type { Matrix } from "@isotropy/linalg";
import type { Rep } from "@isotropy/reps";
import type * as tf from "@tensorflow/tfjs-core";
import type { Canonicalization } from "../canonicalize.js";
import { CanonicalCache } from "./canonical-cache.js";

/** How the frame of a symmetric input is chosen. */
export type FrameChoice =
  /** The canonical frame c(x) (deterministic: relaxed equivariance). */
  | "canonical"
  /** c(x) s with s uniform in Stab(canonical) (SymPE: equivariant in distribution). */
  | "sample";

/** What every frame-based breaking model is made of. */
export interface FramedModelOptions {
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  /** The model the frames feed (any Module; its weights are the model's). */
  readonly inner: Module;
  readonly frame: FrameChoice;
  /** Stabilizer / canonicalization tolerance. */
  readonly tol: number;
  /** Fallback stream for `frame: "sample"` when `apply` gets no ctx.rng. */
  readonly rng?: Rng;
  readonly name?: string;
}

/**
 * The common part of the symmetry-breaking models: memoised canonical forms of input rows, the
 * frame choice (canonical, or sampled from the coset c(x) Stab(x_c)), and an inner model whose
 * weights and penalty are the model's own.
 */
export abstract class FramedModel implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  readonly inner: Module;
  readonly frame: FrameChoice;
  readonly tol: number;
  readonly penalty?: () => tf.Scalar;
  protected readonly rng: Rng;
  private readonly cache: CanonicalCache;

  constructor(opts: FramedModelOptions, defaultName: string) {
    this.group = opts.group;
    this.repIn = opts.repIn;
    this.repOut = opts.repOut;
    this.inner = opts.inner;
    this.frame = opts.frame;
    this.tol = opts.tol;
    this.rng = opts.rng ?? makeRng(0);
    this.name = opts.name ?? defaultName;
    this.inputSize = opts.repIn.size;
    this.outputSize = opts.repOut.size;
    this.cache = new CanonicalCache(opts.group, opts.repIn, opts.tol);
    const inner = opts.inner;
    if (inner.penalty) this.penalty = () => inner.penalty!();
  }

  weights(): NamedWeight[] {
    return prefixWeights("inner", this.inner.weights());
  }

  /** The canonical form of one input row (memoised). */
  canonicalization(row: ArrayLike<number>): Canonicalization {
    return this.cache.get(Float32Array.from(row));
  }

  /** The frame used for a canonicalised row: c(x), or c(x) s with s drawn from Stab(x_c). */
  protected frameOf(c: Canonicalization, rng?: Rng): Matrix {
    if (this.frame === "canonical" || c.stabilizer.isTrivial) return c.frame;
    return c.frame.mul(c.stabilizer.sample(rng ?? this.rng));
  }

  /** Every frame of the coset c(x) Stab(x_c), identity first (finite, at most `limit`). */
  protected cosetFrames(c: Canonicalization, limit: number): Matrix[] {
    return c.stabilizer.elements(limit).map((s) => c.frame.mul(s));
  }

  abstract apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D;

  /** Every degenerate output of one input row, { rho_out(h) f(x) : h in Stab(x) }. */
  abstract allOutputs(row: ArrayLike<number>, limit?: number): tf.Tensor2D;

  dispose(): void {
    this.inner.dispose?.();
  }
}
