import type { Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import {
  type ApplyContext,
  checkInput,
  childRng,
  EMLP,
  type Module,
  type NamedWeight,
  prefixWeights,
} from "@isotropy/layers";
import { parseRep, type Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import type { Registry } from "isotropy";

/**
 * The set-decoding pipeline: an exactly invariant encoder c = enc(x) (EMLP to `codeDim`
 * scalars), then a decoder (built by a strategy) on the n identical copies of the code, the rep
 * `codeDim*V` with every copy equal (stabilizer S(n)). Only the decoder can break symmetry.
 */
export class SetAutoencoder implements Module {
  readonly name = "SetAutoencoder";
  readonly inputSize: number;
  readonly outputSize: number;

  constructor(
    readonly encoder: Module,
    readonly decoder: Module,
    readonly points: number,
    readonly codeDim: number,
  ) {
    this.inputSize = 2 * points;
    this.outputSize = 2 * points;
  }

  /** The decoder's input for a batch of inputs: code channel c of copy j at c*n + j. */
  decoderInput(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    return tf.tidy(() => {
      const code = this.encoder.apply(x, ctx);
      const b = code.shape[0];
      return tf.reshape(tf.tile(tf.expandDims(code, 2), [1, 1, this.points]), [
        b,
        this.codeDim * this.points,
      ]) as tf.Tensor2D;
    });
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    return tf.tidy(() => this.decoder.apply(this.decoderInput(x, ctx), ctx));
  }

  weights(): NamedWeight[] {
    return [
      ...prefixWeights("encoder", this.encoder.weights()),
      ...prefixWeights("decoder", this.decoder.weights()),
    ];
  }

  penalty(): tf.Scalar {
    return tf.tidy(() => {
      let p: tf.Scalar = tf.scalar(0);
      if (this.encoder.penalty) p = tf.add(p, this.encoder.penalty()) as tf.Scalar;
      if (this.decoder.penalty) p = tf.add(p, this.decoder.penalty()) as tf.Scalar;
      return p;
    });
  }

  dispose(): void {
    this.encoder.dispose?.();
    this.decoder.dispose?.();
  }
}

/** The reps and invariant encoder of `SetAutoencoder`; the decoder comes from the strategy. */
export function setAutoencoderParts(
  registry: Registry,
  group: Group,
  points: number,
  channels: number,
  layers: number,
  rng: Rng,
): { codeDim: number; encoder: Module; decoderRepIn: Rep } {
  // Twice the set's degrees of freedom: a redundant code is easier for an invariant encoder to learn.
  const codeDim = 4 * points;
  const encoder = new EMLP(
    parseRep("2*V", group, registry),
    parseRep(`${codeDim}*Scalar`, group, registry),
    group,
    { channels, layers, rng: childRng(rng, "encoder") },
  );
  return { codeDim, encoder, decoderRepIn: parseRep(`${codeDim}*V`, group, registry) };
}
