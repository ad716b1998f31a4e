import { InvalidArgumentError, rng as makeRng, type Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { inverse } from "@isotropy/linalg";
import type { Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { type ApplyContext, checkInput, type Module, type NamedWeight } from "./module.js";

/**
 * The MLP+Aug baseline (emlp's `GroupAugmentation`): at training time each sample gets its own
 * random group element g, the model sees rho_in(g) x and its output is mapped back by
 * rho_out(g)^-1 = rho_out(g^-1); at evaluation it is the wrapped model unchanged. Randomness comes
 * from `ctx.rng`, or from the wrapper's own stream (seeded by `opts.rng`, default seed 0).
 */
export class GroupAugmentation implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  /** The wrapped model's penalty, when it has one. */
  readonly penalty?: () => tf.Scalar;
  private readonly rng: Rng;

  constructor(
    readonly module: Module,
    readonly group: Group,
    readonly repIn: Rep,
    readonly repOut: Rep,
    opts: { rng?: Rng; name?: string } = {},
  ) {
    for (const [what, r] of [
      ["input", repIn],
      ["output", repOut],
    ] as const) {
      if (r.group.name !== group.name) {
        throw new InvalidArgumentError(
          `GroupAugmentation: the ${what} rep is a rep of ${r.group.name}, not of ${group.name}.`,
        );
      }
    }
    for (const [what, size, r] of [
      ["input", module.inputSize, repIn],
      ["output", module.outputSize, repOut],
    ] as const) {
      if (size !== undefined && size !== r.size) {
        throw new InvalidArgumentError(
          `GroupAugmentation: the model's ${what} has ${size} features, ${r.toString()} has ${r.size}.`,
        );
      }
    }
    if (module.penalty) this.penalty = () => module.penalty!();
    this.name = opts.name ?? "GroupAugmentation";
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
    this.rng = opts.rng ?? makeRng(0);
  }

  weights(): NamedWeight[] {
    return this.module.weights();
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    if (!ctx?.training) return this.module.apply(x, ctx);
    const rng = ctx.rng ?? this.rng;
    const bs = x.shape[0];
    const n = this.inputSize;
    const m = this.outputSize;
    const rin = new Float32Array(bs * n * n);
    const routInv = new Float32Array(bs * m * m);
    for (let s = 0; s < bs; s++) {
      const g = this.group.sample(rng);
      rin.set(this.repIn.rho(g).data, s * n * n);
      routInv.set(this.repOut.rho(inverse(g)).data, s * m * m);
    }
    return tf.tidy(() => {
      const xg = tf.matMul(tf.tensor3d(rin, [bs, n, n]), tf.reshape(x, [bs, n, 1]) as tf.Tensor3D);
      const y = this.module.apply(tf.reshape(xg, [bs, n]), ctx);
      const back = tf.matMul(
        tf.tensor3d(routInv, [bs, m, m]),
        tf.reshape(y, [bs, m, 1]) as tf.Tensor3D,
      );
      return tf.reshape(back, [bs, m]);
    });
  }

  metadata(): Record<string, string> {
    return { ...(this.module.metadata?.() ?? {}), augmentation: this.group.name };
  }

  dispose(): void {
    this.module.dispose?.();
  }
}
