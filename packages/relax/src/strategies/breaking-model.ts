import type { Rng } from "@isotropy/core";
import { type ApplyContext, checkInput, type Module } from "@isotropy/layers";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { DEFAULT_LIMIT } from "../options.js";
import { FramedModel, type FramedModelOptions } from "./framed-model.js";

export interface SymmetryBreakingOptions extends FramedModelOptions {
  /** The representation of the breaking objects. */
  readonly repB: Rep;
  /** The fixed generic breaking object b0 (trivial stabilizer). */
  readonly b0: Float64Array;
  /** The jointly equivariant model on repIn + repB -> repOut. */
  readonly inner: Module;
}

/**
 * f(x) = F(x, b(x)) with b(x) = rho_b(c(x)) b0 (Kaba & Ravanbakhsh 2023): F is a jointly
 * equivariant model on repIn + repB, c(x) a canonical frame (`canonicalize`) and b0 a breaking
 * object with trivial stabilizer. Since c(g x) = g h c(x) for some h in Stab(x), b(g x) =
 * rho_b(g h) b(x) and f(g x) = F(g h x, rho_b(g h) b(x)) = rho_out(g h) f(x): relaxed
 * equivariance, and plain equivariance on inputs with trivial stabilizer. With `frame: "sample"`
 * the frame is c(x) s, s uniform in Stab(canonical) (probabilistic symmetry breaking).
 *
 * The frames are computed in JS from the CPU copy of the input (float64), so b(x) is a constant
 * for gradients; x itself reaches F unchanged and gradients flow through it.
 */
export class SymmetryBreakingModel extends FramedModel {
  readonly repB: Rep;
  readonly b0: Float64Array;

  constructor(opts: SymmetryBreakingOptions) {
    super(opts, "SymmetryBreaking");
    this.repB = opts.repB;
    this.b0 = opts.b0;
  }

  /** rho_b(frame) b0. */
  breakingObjectFor(frame: Matrix): Float64Array {
    return rhoOperator(this.repB, frame).matvec(this.b0);
  }

  /** b(x) for one input row: the canonical one, or one with a sampled frame. */
  breakingObject(row: ArrayLike<number>, rng?: Rng): Float64Array {
    return this.breakingObjectFor(this.frameOf(this.canonicalization(row), rng));
  }

  /**
   * Every breaking object of one input row, { rho_b(c(x) s) b0 : s in Stab(canonical) } (one per
   * stabilizer element, identity first). Needs a finite stabilizer of at most `limit` elements.
   */
  breakingObjects(row: ArrayLike<number>, limit: number = DEFAULT_LIMIT): Float64Array[] {
    return this.cosetFrames(this.canonicalization(row), limit).map((g) =>
      this.breakingObjectFor(g),
    );
  }

  /**
   * Every degenerate output of one input row: F(x, b) for each breaking object b (see
   * `breakingObjects`); equal to { rho_out(h) f(x) : h in Stab(x) } as a set. Returns
   * [|Stab(x)|, outputSize].
   */
  allOutputs(row: ArrayLike<number>, limit: number = DEFAULT_LIMIT): tf.Tensor2D {
    const bs = this.breakingObjects(row, limit);
    const nIn = this.inputSize;
    const nB = this.repB.size;
    const data = new Float32Array(bs.length * (nIn + nB));
    bs.forEach((b, i) => {
      data.set(Float32Array.from(row), i * (nIn + nB));
      data.set(b, i * (nIn + nB) + nIn);
    });
    return tf.tidy(() => this.inner.apply(tf.tensor2d(data, [bs.length, nIn + nB])));
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    const [batch, nIn] = x.shape;
    const nB = this.repB.size;
    const xs = x.dataSync();
    const rng = ctx?.rng ?? this.rng;
    const b = new Float32Array(batch * nB);
    for (let i = 0; i < batch; i++) {
      b.set(this.breakingObject(xs.subarray(i * nIn, (i + 1) * nIn), rng), i * nB);
    }
    return tf.tidy(() => this.inner.apply(tf.concat([x, tf.tensor2d(b, [batch, nB])], 1), ctx));
  }

  metadata(): Record<string, string> {
    return {
      kind: this.name,
      group: this.group.name,
      repIn: this.repIn.toString(),
      repOut: this.repOut.toString(),
      repB: this.repB.toString(),
      frame: this.frame,
      b0: JSON.stringify(Array.from(this.b0)),
    };
  }
}
