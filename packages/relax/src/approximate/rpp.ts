import type { Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import {
  type ApplyContext,
  applyEMLPBlock,
  applyEMLPStack,
  BiLinear,
  checkInput,
  childRng,
  DEFAULT_BILINEAR_SCALE,
  disposeEMLPBlock,
  disposeEMLPStack,
  EquivariantLinear,
  emlpStackMetadata,
  emlpStackWeights,
  GatedNonlinearity,
  gated,
  type Module,
  makeVariable,
  type NamedWeight,
  prefixWeights,
  swish,
  uniformRep,
} from "@isotropy/layers";
import type { Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { checkPenaltyWeight, checkPositiveInteger } from "./penalties.js";

/** The free pathway's initial size relative to the equivariant one (emlp's `RPP_SCALE`). */
export const RPP_SCALE = 1e-3;
/** Default prior strength on the free pathway (weight decay on `W_free`). */
export const DEFAULT_LAMBDA_FREE = 1e2;
/** Default prior strength on the equivariant pathway (weight decay on `W_equiv`). */
export const DEFAULT_LAMBDA_EQUIV = 1e-3;

/** Sum of squares of the tensors as a scalar (0 for none). */
function sumSquares(ts: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() =>
    ts.length === 0 ? tf.scalar(0) : (tf.addN(ts.map((t) => tf.sum(tf.square(t)))) as tf.Scalar),
  );
}

/** The two halves of an RPP layer's penalty, unweighted. */
export interface PathwayNorms {
  /** ||W_free||^2 + ||b_free||^2 (+ the free Swish weights of the nonlinearities). */
  readonly free: tf.Scalar;
  /** ||W_equiv||^2 + ||b_equiv||^2 of the assembled equivariant weights. */
  readonly equiv: tf.Scalar;
}

export interface RPPLinearOptions {
  readonly rng: Rng;
  readonly name?: string;
  /** The free pathway's initial size relative to the equivariant one (default 1e-3). */
  readonly scale?: number;
}

/**
 * emlp-RPP's `MixedLinear`: y = x (W_equiv + W_free)^T + b_equiv + b_free, where W_equiv, b_equiv
 * come from an `EquivariantLinear` (basis coefficients) and W_free [in, out], b_free [out] are
 * dense. W_free starts Gaussian with standard deviation `scale` times the RMS entry of the
 * initial W_equiv (a non-equivariant perturbation about 1e-3 of the equivariant one); b_free
 * starts at zero, like the equivariant bias. Weights `equiv.*`, `free.weight`, `free.bias`.
 */
export class RPPLinear implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly equiv: EquivariantLinear;
  readonly freeWeight: tf.Variable<tf.Rank.R2>;
  readonly freeBias: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    opts: RPPLinearOptions,
  ) {
    this.name = opts.name ?? "RPPLinear";
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
    this.equiv = new EquivariantLinear(repIn, repOut, { rng: childRng(opts.rng, "equiv") });
    const rms = tf.tidy(() => {
      const w = this.equiv.weight();
      return Math.sqrt(tf.mean(tf.square(w)).dataSync()[0]!);
    });
    const std = (opts.scale ?? RPP_SCALE) * (rms > 0 ? rms : 1 / Math.sqrt(this.inputSize));
    const freeRng = childRng(opts.rng, "free");
    this.freeWeight = makeVariable(freeRng.normals(this.inputSize * this.outputSize, std), [
      this.inputSize,
      this.outputSize,
    ]) as tf.Variable<tf.Rank.R2>;
    this.freeBias = makeVariable(new Float32Array(this.outputSize), [
      this.outputSize,
    ]) as tf.Variable<tf.Rank.R1>;
  }

  weights(): NamedWeight[] {
    return [
      ...prefixWeights("equiv", this.equiv.weights()),
      ...this.freeWeights().map((w) => ({ name: `free.${w.name}`, variable: w.variable })),
    ];
  }

  /** The free pathway's variables (names relative to `free.`). */
  freeWeights(): NamedWeight[] {
    return [
      { name: "weight", variable: this.freeWeight },
      { name: "bias", variable: this.freeBias },
    ];
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    return tf.tidy(
      () =>
        tf.add(
          this.equiv.apply(x, ctx),
          tf.add(tf.matMul(x, this.freeWeight), this.freeBias),
        ) as tf.Tensor2D,
    );
  }

  norms(): PathwayNorms {
    return {
      free: sumSquares([this.freeWeight, this.freeBias]),
      equiv: tf.tidy(() => sumSquares([this.equiv.weightTransposed(), this.equiv.bias()])),
    };
  }

  dispose(): void {
    this.equiv.dispose();
    this.freeWeight.dispose();
    this.freeBias.dispose();
  }
}

/**
 * emlp-RPP's `RPPGatedNonlinearity`: the gated nonlinearity of `rep` plus a free Swish path,
 * y = gate(x) + w ⊙ swish(x[:, :rep.size]), with one weight per coordinate started at `scale`
 * (1e-3). Swish on a vector's components is not equivariant, so w belongs to the free pathway.
 * Weight `free.weight`.
 */
export class RPPGatedNonlinearity implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly gate: GatedNonlinearity;
  readonly freeWeight: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly rep: Rep,
    opts: { name?: string; scale?: number } = {},
  ) {
    this.name = opts.name ?? "RPPGatedNonlinearity";
    this.gate = new GatedNonlinearity(rep);
    this.inputSize = this.gate.inputSize;
    this.outputSize = rep.size;
    this.freeWeight = makeVariable(new Float32Array(rep.size).fill(opts.scale ?? RPP_SCALE), [
      rep.size,
    ]) as tf.Variable<tf.Rank.R1>;
  }

  weights(): NamedWeight[] {
    return [{ name: "free.weight", variable: this.freeWeight }];
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    return tf.tidy(() => {
      const values = tf.slice(x, [0, 0], [x.shape[0], this.outputSize]);
      return tf.add(this.gate.apply(x, ctx), tf.mul(this.freeWeight, swish(values))) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.gate.dispose();
    this.freeWeight.dispose();
  }
}

/** emlp-RPP's `MixedEMLPBlock`: RPPLinear -> BiLinear (+ residual) -> RPPGatedNonlinearity. */
export class RPPEMLPBlock implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly linear: RPPLinear;
  readonly bilinear: BiLinear;
  readonly nonlinearity: RPPGatedNonlinearity;

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    opts: { rng: Rng; name?: string; scale?: number },
  ) {
    this.name = opts.name ?? "RPPEMLPBlock";
    const g = gated(repOut);
    const scale = opts.scale ?? RPP_SCALE;
    this.linear = new RPPLinear(repIn, g, { rng: childRng(opts.rng, "linear"), scale });
    this.bilinear = new BiLinear(g, g, {
      rng: childRng(opts.rng, "bilinear"),
      scale: DEFAULT_BILINEAR_SCALE,
    });
    this.nonlinearity = new RPPGatedNonlinearity(repOut, { scale });
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
  }

  weights(): NamedWeight[] {
    return [
      ...prefixWeights("linear", this.linear.weights()),
      ...prefixWeights("bilinear", this.bilinear.weights()),
      ...prefixWeights("nonlinearity", this.nonlinearity.weights()),
    ];
  }

  freeWeights(): NamedWeight[] {
    return [
      ...prefixWeights("linear.free", this.linear.freeWeights()),
      ...prefixWeights("nonlinearity", this.nonlinearity.weights()),
    ];
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    return applyEMLPBlock(this, x, ctx);
  }

  norms(): PathwayNorms {
    return tf.tidy(() => {
      const n = this.linear.norms();
      return {
        free: tf.add(n.free, sumSquares([this.nonlinearity.freeWeight])) as tf.Scalar,
        equiv: n.equiv,
      };
    });
  }

  dispose(): void {
    disposeEMLPBlock(this);
  }
}

export interface RPPEMLPOptions {
  /** Hidden width: channels for `uniformRep` (default 384). */
  readonly channels?: number;
  /** Number of hidden blocks (default 3). */
  readonly layers?: number;
  readonly rng: Rng;
  /** Prior strength on the free pathway (default 1e2); must be >= 0. */
  readonly lambdaFree?: number;
  /** Prior strength on the equivariant pathway (default 1e-3); must be >= 0. */
  readonly lambdaEquiv?: number;
  /** The free pathway's initial relative size (default 1e-3). */
  readonly scale?: number;
  readonly name?: string;
}

/**
 * The residual-pathway-prior EMLP (Finzi, Benton, Wilson 2021): an EMLP whose every linear map is
 * W_equiv + W_free (biases likewise) and whose gated nonlinearities carry a free Swish path.
 * `penalty()` = lambdaFree * Σ (||W_free||² + ||b_free||² + ||w_swish||²)
 *             + lambdaEquiv * Σ (||W_equiv||² + ||b_equiv||²),
 * with W_equiv, b_equiv the assembled equivariant weights (the bilinear layers are not
 * penalised, as in emlp-RPP). With every free weight at zero the model is exactly an EMLP.
 */
export class RPPEMLP implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly hidden: readonly Rep[];
  readonly blocks: readonly RPPEMLPBlock[];
  readonly head: RPPLinear;
  readonly lambdaFree: number;
  readonly lambdaEquiv: number;

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    readonly group: Group,
    opts: RPPEMLPOptions,
  ) {
    this.name = opts.name ?? "RPPEMLP";
    this.lambdaFree = checkPenaltyWeight("lambdaFree", opts.lambdaFree ?? DEFAULT_LAMBDA_FREE);
    this.lambdaEquiv = checkPenaltyWeight("lambdaEquiv", opts.lambdaEquiv ?? DEFAULT_LAMBDA_EQUIV);
    const channels = checkPositiveInteger("The RPP-EMLP's channel count", opts.channels ?? 384);
    const layers = opts.layers ?? 3;
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
    this.hidden = new Array<number>(layers).fill(channels).map((c) => uniformRep(c, group));
    const reps = [repIn, ...this.hidden];
    const scale = opts.scale ?? RPP_SCALE;
    this.blocks = this.hidden.map(
      (rep, i) => new RPPEMLPBlock(reps[i]!, rep, { rng: childRng(opts.rng, `block${i}`), scale }),
    );
    this.head = new RPPLinear(reps.at(-1)!, repOut, { rng: childRng(opts.rng, "head"), scale });
  }

  weights(): NamedWeight[] {
    return emlpStackWeights(this);
  }

  /** Every variable of the free pathway (what lambdaFree holds near zero). */
  freeWeights(): NamedWeight[] {
    return [
      ...this.blocks.flatMap((b, i) => prefixWeights(`layers.${i}`, b.freeWeights())),
      ...prefixWeights(`layers.${this.blocks.length}.free`, this.head.freeWeights()),
    ];
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    return applyEMLPStack(this, x, ctx);
  }

  /** The unweighted squared norms of both pathways, summed over the layers. */
  norms(): PathwayNorms {
    return tf.tidy(() => {
      const all = [...this.blocks.map((b) => b.norms()), this.head.norms()];
      return {
        free: tf.addN(all.map((n) => n.free)) as tf.Scalar,
        equiv: tf.addN(all.map((n) => n.equiv)) as tf.Scalar,
      };
    });
  }

  penalty(): tf.Scalar {
    return tf.tidy(() => {
      const n = this.norms();
      return tf.add(
        tf.mul(this.lambdaFree, n.free),
        tf.mul(this.lambdaEquiv, n.equiv),
      ) as tf.Scalar;
    });
  }

  metadata(): Record<string, string> {
    return emlpStackMetadata("RPPEMLP", this);
  }

  dispose(): void {
    disposeEMLPStack(this);
  }
}
