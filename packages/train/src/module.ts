import type { Rng } from "@isotropy/core";
import type { Scalar, Tensor2D, Variable } from "@tensorflow/tfjs-core";

/** One trainable (or fixed) array of a model, under a name that is stable across runs. */
export interface NamedWeight {
  readonly name: string;
  readonly variable: Variable;
}

/** What a model receives besides its input: training mode and the stream to sample from. */
export interface ApplyContext {
  training?: boolean;
  rng?: Rng;
}

/**
 * The model contract the loop trains. It is structural: any object of this shape works, in
 * particular every `@isotropy/layers` module, without this package importing layers.
 *
 * - `weights()` lists every variable under a stable, unique name (checkpoints are keyed by it).
 * - `apply(x)` maps a batch `[b, inputDim]` to `[b, outputDim]`.
 * - `penalty()`, when present, is added to the loss (e.g. a prior on symmetry-breaking weights).
 */
export interface TrainableModule {
  readonly name: string;
  weights(): readonly NamedWeight[];
  apply(x: Tensor2D, ctx?: ApplyContext): Tensor2D;
  penalty?(): Scalar;
}
