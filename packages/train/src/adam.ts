import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs, InvalidArgumentError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import type { NamedWeight } from "./module.js";

/** Adam's hyper-parameters (Kingma & Ba 2015); the defaults are theirs and emlp's. */
export interface AdamConfig {
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Adam's full state as plain arrays, keyed by weight name: what a checkpoint holds. */
export interface AdamState {
  t: number;
  m: Map<string, Float32Array>;
  v: Map<string, Float32Array>;
}

interface Slot {
  readonly weight: NamedWeight;
  readonly m: tf.Variable;
  readonly v: tf.Variable;
}

/**
 * Adam on tfjs ops, with its whole state (`t`, and `m`, `v` per weight) readable and writable so
 * that a resumed run continues bit for bit. One step, for each weight w with gradient g:
 *
 *     m <- b1 m + (1 - b1) g          v <- b2 v + (1 - b2) g^2
 *     w <- w - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *
 * (Algorithm 1 of the paper, as objax/emlp and tf.train.adam apply it). Weights without a
 * gradient in a step (non-trainable, or unused by the loss) keep their moments unchanged. Where
 * the active backend has core's ADAM_UPDATE_KERNEL (node), each weight's step is that one kernel,
 * which gives the same bits as the ops.
 */
export class Adam {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  private t = 0;
  private readonly slots = new Map<string, Slot>();

  constructor(weights: readonly NamedWeight[], config: AdamConfig = {}) {
    this.beta1 = config.beta1 ?? 0.9;
    this.beta2 = config.beta2 ?? 0.999;
    this.epsilon = config.epsilon ?? 1e-8;
    for (const [key, value] of [
      ["beta1", this.beta1],
      ["beta2", this.beta2],
    ] as const) {
      if (!(value >= 0 && value < 1)) {
        throw new InvalidArgumentError(`Adam ${key} must be in [0, 1), got ${value}.`);
      }
    }
    if (!(this.epsilon > 0 && Number.isFinite(this.epsilon))) {
      throw new InvalidArgumentError(`Adam epsilon must be positive, got ${this.epsilon}.`);
    }
    for (const w of weights) {
      const shape = w.variable.shape;
      this.slots.set(w.variable.name, {
        weight: w,
        m: tf.tidy(() => tf.variable(tf.zeros(shape), false)),
        v: tf.tidy(() => tf.variable(tf.zeros(shape), false)),
      });
    }
  }

  /** Steps taken so far. */
  get step(): number {
    return this.t;
  }

  /**
   * One update from gradients keyed by tfjs variable name (as `tf.variableGrads` returns them).
   * Runs its own `tidy`; the gradients stay owned by the caller.
   */
  apply(grads: Readonly<Record<string, tf.Tensor | null>>, lr: number): void {
    this.t += 1;
    const { beta1: b1, beta2: b2, epsilon } = this;
    const c1 = 1 - b1 ** this.t;
    const c2 = 1 - b2 ** this.t;
    const backend = tf.getBackend();
    const fused = backend !== undefined && tf.getKernel(ADAM_UPDATE_KERNEL, backend) !== undefined;
    const attrs: AdamUpdateAttrs = { beta1: b1, beta2: b2, epsilon, learningRate: lr, c1, c2 };
    tf.tidy(() => {
      for (const [varName, slot] of this.slots) {
        const g = grads[varName];
        if (g === undefined || g === null) continue;
        const w = slot.weight.variable;
        if (fused) {
          const [wn, m, v] = tf
            .engine()
            .runKernel(
              ADAM_UPDATE_KERNEL,
              { w, g, m: slot.m, v: slot.v },
              attrs as unknown as tf.NamedAttrMap,
            ) as tf.Tensor[];
          slot.m.assign(m!);
          slot.v.assign(v!);
          w.assign(wn!);
          continue;
        }
        const m = tf.add(tf.mul(slot.m, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(slot.v, b2), tf.mul(tf.square(g), 1 - b2));
        const update = tf.div(tf.div(m, c1), tf.add(tf.sqrt(tf.div(v, c2)), epsilon));
        slot.m.assign(m);
        slot.v.assign(v);
        w.assign(tf.sub(w, tf.mul(update, lr)));
      }
    });
  }

  /** A copy of the state, read from the backend. */
  async state(): Promise<AdamState> {
    const m = new Map<string, Float32Array>();
    const v = new Map<string, Float32Array>();
    for (const slot of this.slots.values()) {
      m.set(slot.weight.name, Float32Array.from(await slot.m.data()));
      v.set(slot.weight.name, Float32Array.from(await slot.v.data()));
    }
    return { t: this.t, m, v };
  }

  /** Replaces the state; every weight must be present with its shape's size. */
  load(state: AdamState): void {
    for (const slot of this.slots.values()) {
      const name = slot.weight.name;
      const m = state.m.get(name);
      const v = state.v.get(name);
      if (
        m === undefined ||
        v === undefined ||
        m.length !== slot.m.size ||
        v.length !== slot.v.size
      ) {
        throw new InvalidArgumentError(`Adam state for weight "${name}" is missing or mis-sized.`);
      }
      tf.tidy(() => {
        slot.m.assign(tf.tensor(m, slot.m.shape, "float32"));
        slot.v.assign(tf.tensor(v, slot.v.shape, "float32"));
      });
    }
    this.t = state.t;
  }

  /** Frees the moment variables. */
  dispose(): void {
    for (const slot of this.slots.values()) {
      slot.m.dispose();
      slot.v.dispose();
    }
    this.slots.clear();
  }
}
