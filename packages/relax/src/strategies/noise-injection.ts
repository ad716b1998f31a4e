import { rng as makeRng, type Rng } from "@isotropy/core";
import {
  type ApplyContext,
  checkInput,
  type Module,
  type NamedWeight,
  prefixWeights,
} from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";

export interface NoiseInjectionOptions {
  readonly repIn: Rep;
  readonly repOut: Rep;
  /** Number of invariant noise channels appended (Scalars). */
  readonly channels: number;
  /** Standard deviation of the noise. */
  readonly scale: number;
  /** The equivariant model on repIn + channels*Scalar -> repOut. */
  readonly inner: Module;
  /** Fallback stream when `apply` gets no ctx.rng. */
  readonly rng?: Rng;
  readonly name?: string;
}

/**
 * Noise injection: f(x) = F(x, e) with e ~ N(0, scale^2 I) drawn afresh for every sample and
 * call, appended as G-invariant Scalar channels; F is exactly equivariant in (x, e), so f is
 * equivariant in distribution only (and perturbs asymmetric inputs too). Noise comes from
 * ctx.rng when given, otherwise from the module's own stream.
 */
export class NoiseInjection implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly channels: number;
  readonly scale: number;
  readonly inner: Module;
  readonly penalty?: () => tf.Scalar;
  private readonly rng: Rng;

  constructor(opts: NoiseInjectionOptions) {
    this.name = opts.name ?? "NoiseInjection";
    this.inputSize = opts.repIn.size;
    this.outputSize = opts.repOut.size;
    this.channels = opts.channels;
    this.scale = opts.scale;
    this.inner = opts.inner;
    this.rng = opts.rng ?? makeRng(0);
    const inner = opts.inner;
    if (inner.penalty) this.penalty = () => inner.penalty!();
  }

  weights(): NamedWeight[] {
    return prefixWeights("inner", this.inner.weights());
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    const batch = x.shape[0];
    const noise = Float32Array.from(
      (ctx?.rng ?? this.rng).normals(batch * this.channels, this.scale),
    );
    return tf.tidy(() =>
      this.inner.apply(tf.concat([x, tf.tensor2d(noise, [batch, this.channels])], 1), ctx),
    );
  }

  metadata(): Record<string, string> {
    return { kind: this.name, channels: String(this.channels), scale: String(this.scale) };
  }

  dispose(): void {
    this.inner.dispose?.();
  }
}
