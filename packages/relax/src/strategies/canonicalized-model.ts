import { type ApplyContext, checkInput, type Module } from "@isotropy/layers";
import type { Matrix } from "@isotropy/linalg";
import { type Rep, rhoOperator } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { groupInverse } from "../matrix-groups.js";
import { DEFAULT_LIMIT } from "../options.js";
import { FramedModel, type FramedModelOptions } from "./framed-model.js";

export interface CanonicalizedOptions extends FramedModelOptions {
  /** Any model on canonical forms, repIn.size -> repOut.size (no symmetry asked of it). */
  readonly inner: Module;
}

/**
 * Relaxed equivariance by canonicalization: f(x) = rho_out(c(x)) F(x_c), x_c = rho_in(c(x))^-1 x
 * the canonical form and F any model (an MLP). The canonical form is the same for the whole
 * orbit of x and c(g x) = g c(x) h with h in Stab(x_c), so f(g x) = rho_out(g k) f(x) with
 * k = c(x) h c(x)^-1 in Stab(x): relaxed equivariance, plain equivariance where Stab(x) is
 * trivial. F sees one representative per orbit, so it may break the symmetry of x freely: at a
 * regular polygon it can stretch along the canonical first vertex. With `frame: "sample"` the
 * frame is c(x) s, s uniform in Stab(x_c) (equivariant in distribution, as SymPE).
 *
 * Frames are computed in JS (float64) from the CPU copy of the input and enter as constants;
 * the canonical form is formed in the graph, rho_in(c(x))^-1 x, so gradients flow through F into
 * x (an upstream encoder trains through it). With the frame held fixed that is the true gradient
 * where frames are locally constant (finite groups), the partial one for O(n) frames.
 */
export class CanonicalizedModel extends FramedModel {
  constructor(opts: CanonicalizedOptions) {
    super(opts, "Canonicalized");
  }

  /** Per row i: rho(frames[i]) as dense float32 matrices, stacked [n, size, size]. */
  private stack(rep: Rep, frames: Matrix[]): tf.Tensor3D {
    const m = rep.size;
    const data = new Float32Array(frames.length * m * m);
    frames.forEach((g, i) => {
      data.set(rhoOperator(rep, g).toDense().data, i * m * m);
    });
    return tf.tensor3d(data, [frames.length, m, m]);
  }

  /** rho_out(frames[i]) F(rho_in(canonicalFrames[i])^-1 x_i) for every row i. */
  private outputs(
    x: tf.Tensor2D,
    canonicalFrames: Matrix[],
    frames: Matrix[],
    ctx?: ApplyContext,
  ): tf.Tensor2D {
    const n = frames.length;
    const [i, o] = [this.inputSize, this.outputSize];
    const inverses = canonicalFrames.map((g) => groupInverse(this.group, g));
    return tf.tidy(() => {
      const xc = tf.matMul(this.stack(this.repIn, inverses), tf.reshape(x, [n, i, 1]));
      const f = this.inner.apply(tf.reshape(xc, [n, i]) as tf.Tensor2D, ctx);
      const y = tf.matMul(this.stack(this.repOut, frames), tf.reshape(f, [n, o, 1]));
      return tf.reshape(y, [n, o]) as tf.Tensor2D;
    });
  }

  /**
   * Every degenerate output of one input row, { rho_out(c(x) s) F(x_c) : s in Stab(x_c) } =
   * { rho_out(h) f(x) : h in Stab(x) } (identity first). Needs a finite stabilizer of at most
   * `limit` elements. Returns [|Stab(x)|, outputSize].
   */
  allOutputs(row: ArrayLike<number>, limit: number = DEFAULT_LIMIT): tf.Tensor2D {
    const c = this.canonicalization(row);
    const frames = this.cosetFrames(c, limit);
    const x = new Float32Array(frames.length * this.inputSize);
    for (let i = 0; i < frames.length; i++) x.set(Float32Array.from(row), i * this.inputSize);
    return tf.tidy(() =>
      this.outputs(
        tf.tensor2d(x, [frames.length, this.inputSize]),
        frames.map(() => c.frame),
        frames,
      ),
    );
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    const [batch, nIn] = x.shape;
    const xs = x.dataSync();
    const rng = ctx?.rng ?? this.rng;
    const canonicalFrames: Matrix[] = [];
    const frames: Matrix[] = [];
    for (let i = 0; i < batch; i++) {
      const c = this.canonicalization(xs.subarray(i * nIn, (i + 1) * nIn));
      canonicalFrames.push(c.frame);
      frames.push(this.frameOf(c, rng));
    }
    return this.outputs(x, canonicalFrames, frames, ctx);
  }

  metadata(): Record<string, string> {
    return {
      kind: this.name,
      group: this.group.name,
      repIn: this.repIn.toString(),
      repOut: this.repOut.toString(),
      construction: "canonicalization",
      frame: this.frame,
    };
  }
}
