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
  /** The representation of the noise appended to x (its Gaussian law must be G-invariant). */
  readonly repNoise: Rep;
  /** Standard deviation of the noise. */
  readonly scale: number;
  /** The equivariant model on repIn + repNoise -> repOut. */
  readonly inner: Module;
  /** Fallback stream when `apply` gets no ctx.rng. */
  readonly rng?: Rng;
  readonly name?: string;
}

/**
 * Noise injection: f(x) = F(x, e) with e ~ N(0, scale^2 I) in `repNoise`, drawn afresh for every
 * sample and call. F is exactly equivariant in (x, e) and the law of e is G-invariant (an
 * isotropic Gaussian under an orthogonal representation), so f is equivariant in distribution
 * only; a draw of e has a trivial stabilizer, so f can break the symmetry of x (and perturbs
 * asymmetric inputs too). Noise comes from ctx.rng when given, otherwise from the module's own
 * stream.
 */
export class NoiseInjection implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly repNoise: Rep;
  readonly scale: number;
  readonly inner: Module;
  readonly penalty?: () => tf.Scalar;
  private readonly rng: Rng;

  constructor(opts: NoiseInjectionOptions) {
    this.name = opts.name ?? "NoiseInjection";
    this.inputSize = opts.repIn.size;
    this.outputSize = opts.repOut.size;
    this.repNoise = opts.repNoise;
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
      (ctx?.rng ?? this.rng).normals(batch * this.repNoise.size, this.scale),
    );
    return tf.tidy(() =>
      this.inner.apply(tf.concat([x, tf.tensor2d(noise, [batch, this.repNoise.size])], 1), ctx),
    );
  }

  metadata(): Record<string, string> {
    return { kind: this.name, repNoise: this.repNoise.toString(), scale: String(this.scale) };
  }

  dispose(): void {
    this.inner.dispose?.();
  }
}
