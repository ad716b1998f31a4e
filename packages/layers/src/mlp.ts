import { type GatePlan, InvalidArgumentError, type Rng } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { fusedGate, fusedGateAvailable } from "./fused-gate.js";
import { matMul } from "./matmul.js";
import {
  type ApplyContext,
  checkInput,
  childRng,
  type Module,
  makeVariable,
  type NamedWeight,
} from "./module.js";

/** Gate plans in which every column gates itself, one per width (kept: kernels cache per plan). */
const selfGates = new Map<number, GatePlan>();

/**
 * Swish (SiLU): x · sigmoid(x). On a backend with the fused gate kernel, a [batch, n] float32
 * tensor goes through it as a gate in which every column gates itself (one kernel forward and
 * one backward, as EMLP's gates); elsewhere it is the composite of tfjs ops.
 */
export function swish<T extends tf.Tensor>(x: T): T {
  if (x.rank === 2 && x.dtype === "float32" && x.shape[1]! > 0 && fusedGateAvailable()) {
    const n = x.shape[1]!;
    let plan = selfGates.get(n);
    if (!plan) {
      plan = { inputSize: n, gate: Int32Array.from({ length: n }, (_, i) => i) };
      selfGates.set(n, plan);
    }
    return fusedGate(plan, x as unknown as tf.Tensor2D) as unknown as T;
  }
  return tf.tidy(() => tf.mul(x, tf.sigmoid(x)) as T);
}

/**
 * A dense layer y = x W + b, W [in, out] drawn from Glorot normal (std sqrt(2 / (in + out)),
 * objax's default, which emlp's baseline used), b zero. Weights `weight` and `bias`.
 */
export class Dense implements Module {
  readonly name: string;
  private readonly w: tf.Variable<tf.Rank.R2>;
  private readonly b: tf.Variable<tf.Rank.R1>;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    opts: { rng: Rng; name?: string },
  ) {
    this.name = opts.name ?? "Dense";
    const std = Math.sqrt(2 / (inputSize + outputSize));
    this.w = makeVariable(opts.rng.normals(inputSize * outputSize, std), [
      inputSize,
      outputSize,
    ]) as tf.Variable<tf.Rank.R2>;
    this.b = makeVariable(new Float32Array(outputSize), [outputSize]) as tf.Variable<tf.Rank.R1>;
  }

  weights(): NamedWeight[] {
    return [
      { name: "weight", variable: this.w },
      { name: "bias", variable: this.b },
    ];
  }

  apply(x: tf.Tensor2D, _ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    return tf.tidy(() => tf.add(matMul(x, this.w as tf.Tensor2D), this.b) as tf.Tensor2D);
  }

  dispose(): void {
    this.w.dispose();
    this.b.dispose();
  }
}

export interface MLPOptions {
  /** Hidden width (default 384). */
  readonly channels?: number;
  /** Number of hidden layers (default 3). */
  readonly layers?: number;
  readonly rng: Rng;
  readonly name?: string;
}

/**
 * The baseline: `layers` dense layers of `channels` with Swish, then a dense output layer, as
 * emlp's MLP. Not equivariant. Weights `layers.i.weight` / `layers.i.bias`.
 */
export class MLP implements Module {
  readonly name: string;
  readonly dense: readonly Dense[];
  readonly channels: number;

  constructor(
    readonly inputSize: number,
    readonly outputSize: number,
    opts: MLPOptions,
  ) {
    this.channels = opts.channels ?? 384;
    const layers = opts.layers ?? 3;
    for (const [what, v] of [
      ["input size", inputSize],
      ["output size", outputSize],
      ["channel count", this.channels],
    ] as const) {
      if (!Number.isInteger(v) || v < 1) {
        throw new InvalidArgumentError(`The MLP's ${what} must be a positive integer, got ${v}.`);
      }
    }
    if (!Number.isInteger(layers) || layers < 0) {
      throw new InvalidArgumentError(
        `The MLP's layer count must be a non-negative integer, got ${layers}.`,
      );
    }
    this.name = opts.name ?? "MLP";
    const widths = [inputSize, ...new Array<number>(layers).fill(this.channels), outputSize];
    this.dense = widths
      .slice(1)
      .map((w, i) => new Dense(widths[i]!, w, { rng: childRng(opts.rng, `layer${i}`) }));
  }

  weights(): NamedWeight[] {
    return this.dense.flatMap((d, i) =>
      d.weights().map((w) => ({ name: `layers.${i}.${w.name}`, variable: w.variable })),
    );
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    return tf.tidy(() => {
      let h = x;
      this.dense.forEach((d, i) => {
        h = d.apply(h, ctx);
        if (i < this.dense.length - 1) h = swish(h);
      });
      return h;
    });
  }

  metadata(): Record<string, string> {
    return {
      kind: "MLP",
      inputSize: String(this.inputSize),
      outputSize: String(this.outputSize),
      channels: String(this.channels),
      layers: String(this.dense.length - 1),
    };
  }

  dispose(): void {
    for (const d of this.dense) d.dispose();
  }
}
