import { FEATURE_MAJOR_BATCH_MULTIPLE, InvalidArgumentError, type Rng } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import type { EquivariantBasisOptions, Rep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { BiLinear } from "./bilinear.js";
import { EquivariantLinear } from "./equivariant-linear.js";
import {
  checkFeatureMajorInput,
  type FeatureMajorModule,
  featureMajorReady,
} from "./feature-major.js";
import { GatedNonlinearity, gated } from "./gated.js";
import {
  type ApplyContext,
  checkInput,
  childRng,
  type Module,
  type NamedWeight,
  prefixWeights,
} from "./module.js";
import { uniformRep } from "./uniform-rep.js";

export interface EMLPBlockOptions {
  readonly rng: Rng;
  readonly name?: string;
  /** The bilinear layer's fixed gain (default: unit-variance scaling, see `BiLinear`). */
  readonly bilinearGain?: number;
  /**
   * The bilinear layer's relative initial scale (see `BiLinearOptions.scale`; default
   * `DEFAULT_BILINEAR_SCALE`). The bilinear term is quadratic: at scale 1 three stacked blocks
   * of 384 channels start with outputs several times too large and Adam at lr 3e-3 diverges on
   * inertia; 0.2 trained best of {0.1, 0.2, 0.3, 0.5, 1} there (40 epochs, N = 1000).
   */
  readonly bilinearScale?: number;
  readonly basis?: EquivariantBasisOptions;
}

/** The default relative initial scale of the bilinear layer inside an EMLP block. */
export const DEFAULT_BILINEAR_SCALE = 0.2;

/** A module that frees its variables. */
type DisposableModule = Module & { dispose(): void };

/** A bilinear part that may also add its input to its output in one step (`BiLinear`). */
type BilinearPart = DisposableModule & {
  applyResidual?(x: tf.Tensor2D, ctx?: ApplyContext, demanded?: Uint8Array): tf.Tensor2D;
};

/** A nonlinearity that can say which of its inputs some of its outputs need (`GatedNonlinearity`). */
type NonlinearityPart = DisposableModule & {
  inputsNeeded?(demanded: Uint8Array): Uint8Array;
};

/**
 * A module that may skip work for outputs nobody reads: `demanded` marks with 1 the outputs a
 * consumer reads; the others may hold any finite value. Modules without the parameter ignore it.
 */
type DemandModule = DisposableModule & {
  apply(x: tf.Tensor2D, ctx?: ApplyContext, demanded?: Uint8Array): tf.Tensor2D;
};

/** The parts of an EMLP block (`EMLPBlock`, relax's `RPPEMLPBlock`). */
export interface EMLPBlockParts {
  readonly name: string;
  readonly inputSize: number;
  readonly linear: DisposableModule;
  readonly bilinear: BilinearPart;
  readonly nonlinearity: NonlinearityPart;
}

/**
 * An EMLP block's forward pass: lin = linear(x); out = nonlinearity(bilinear(lin) + lin). With
 * `demanded` (see `DemandModule`), the bilinear pairs that only feed unread outputs are skipped.
 */
export function applyEMLPBlock(
  block: EMLPBlockParts,
  x: tf.Tensor2D,
  ctx?: ApplyContext,
  demanded?: Uint8Array,
): tf.Tensor2D {
  checkInput(x, block.inputSize, block.name);
  const need = blockDemand(block, demanded);
  return tf.tidy(() => {
    const lin = block.linear.apply(x, ctx);
    const pre = block.bilinear.applyResidual
      ? block.bilinear.applyResidual(lin, ctx, need)
      : (tf.add(block.bilinear.apply(lin, ctx), lin) as tf.Tensor2D);
    return block.nonlinearity.apply(pre, ctx);
  });
}

/** The bilinear outputs that a block's demanded outputs need, where the nonlinearity says. */
function blockDemand(block: EMLPBlockParts, demanded?: Uint8Array): Uint8Array | undefined {
  if (demanded === undefined || block.nonlinearity.inputsNeeded === undefined) return undefined;
  return block.nonlinearity.inputsNeeded(demanded);
}

/** Disposes an EMLP block's linear, bilinear and nonlinearity. */
export function disposeEMLPBlock(block: EMLPBlockParts): void {
  block.linear.dispose();
  block.bilinear.dispose();
  block.nonlinearity.dispose();
}

/** The parts of an EMLP (`EMLP`, relax's `RPPEMLP`): blocks through hidden reps, then a head. */
export interface EMLPStackParts {
  readonly name: string;
  readonly inputSize: number;
  readonly group: Group;
  readonly repIn: Rep;
  readonly repOut: Rep;
  readonly hidden: readonly Rep[];
  readonly blocks: readonly DemandModule[];
  readonly head: DisposableModule;
  /**
   * The last block's outputs that the head reads (1) where some are never read (the head's
   * equivariant map has no basis from their leaf types to the output's); absent: all are read.
   */
  readonly headDemand?: Uint8Array;
}

/**
 * The head's `inputsRead()` mask when it leaves some input unread, else undefined: what an
 * EMLP passes to its last block, which then skips the bilinear pairs that feed only those.
 */
export function headDemand(head: { inputsRead?(): Uint8Array }): Uint8Array | undefined {
  const reads = head.inputsRead?.();
  return reads?.includes(0) ? reads : undefined;
}

/** Weights `layers.i.*` of block i and `layers.L.*` of the head. */
export function emlpStackWeights(model: EMLPStackParts): NamedWeight[] {
  return [
    ...model.blocks.flatMap((b, i) => prefixWeights(`layers.${i}`, b.weights())),
    ...prefixWeights(`layers.${model.blocks.length}`, model.head.weights()),
  ];
}

/**
 * The blocks in turn, then the head. Where every one of them runs feature-major on the active
 * backend (`FeatureMajorModule`), the stack does, with one transpose at each end.
 */
export function applyEMLPStack(
  model: EMLPStackParts,
  x: tf.Tensor2D,
  ctx?: ApplyContext,
): tf.Tensor2D {
  checkInput(x, model.inputSize, model.name);
  const layers = [...model.blocks, model.head];
  const last = model.blocks.length - 1;
  return tf.tidy(() => {
    if (layers.every(featureMajorReady)) {
      return applyFeatureMajorStack(layers as FeatureMajorModule[], x, ctx, model.headDemand);
    }
    let h = x;
    model.blocks.forEach((b, i) => {
      h = b.apply(h, ctx, i === last ? model.headDemand : undefined);
    });
    return model.head.apply(h, ctx);
  });
}

/**
 * x through `layers` on feature-major activations: transposed once, the batch padded with zero
 * samples to a multiple of FEATURE_MAJOR_BATCH_MULTIPLE (so that the backend reads every
 * activation in place), and the result transposed back and cut to the batch. Every layer maps
 * each sample on its own, so the padding changes no output and, its output gradient being zero,
 * no gradient.
 */
function applyFeatureMajorStack(
  layers: readonly FeatureMajorModule[],
  x: tf.Tensor2D,
  ctx?: ApplyContext,
  headDemand?: Uint8Array,
): tf.Tensor2D {
  const bs = x.shape[0];
  const pad =
    (FEATURE_MAJOR_BATCH_MULTIPLE - (bs % FEATURE_MAJOR_BATCH_MULTIPLE)) %
    FEATURE_MAJOR_BATCH_MULTIPLE;
  let hT = tf.transpose(x) as tf.Tensor2D;
  if (pad > 0)
    hT = tf.pad(hT, [
      [0, 0],
      [0, pad],
    ]);
  // The layer before the head (the last block) gets the head's demand.
  layers.forEach((layer, i) => {
    hT =
      i === layers.length - 2
        ? (layer as DemandFeatureMajor).applyFeatureMajor(hT, ctx, headDemand)
        : layer.applyFeatureMajor(hT, ctx);
  });
  const h = tf.transpose(hT) as tf.Tensor2D;
  // Cut whole rows: a slice of leading rows is one contiguous block (the cpu kernels' fast
  // path); cutting columns of hT instead took 8 ms for a [9, 504] output.
  return pad > 0 ? tf.slice(h, [0, 0], [bs, h.shape[1]]) : h;
}

/** A feature-major layer that may take a demand (`EMLPBlock`); others ignore the argument. */
type DemandFeatureMajor = FeatureMajorModule & {
  applyFeatureMajor(xT: tf.Tensor2D, ctx?: ApplyContext, demanded?: Uint8Array): tf.Tensor2D;
};

/** An EMLP's metadata: its kind, group, reps and hidden reps. */
export function emlpStackMetadata(kind: string, model: EMLPStackParts): Record<string, string> {
  return {
    kind,
    group: model.group.name,
    repIn: model.repIn.toString(),
    repOut: model.repOut.toString(),
    hidden: JSON.stringify(model.hidden.map((r) => r.toString())),
  };
}

/** Disposes the blocks, then the head. */
export function disposeEMLPStack(model: EMLPStackParts): void {
  for (const b of model.blocks) b.dispose();
  model.head.dispose();
}

/**
 * emlp's block: lin = Linear(repIn -> gated(repOut)); pre = BiLinear(lin) + lin;
 * out = GatedNonlinearity(pre). Weights `linear.*` and `bilinear.*`.
 */
export class EMLPBlock implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly linear: EquivariantLinear;
  readonly bilinear: BiLinear;
  readonly nonlinearity: GatedNonlinearity;

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    opts: EMLPBlockOptions,
  ) {
    this.name = opts.name ?? "EMLPBlock";
    const g = gated(repOut);
    this.linear = new EquivariantLinear(repIn, g, {
      rng: childRng(opts.rng, "linear"),
      basis: opts.basis,
    });
    this.bilinear = new BiLinear(g, g, {
      rng: childRng(opts.rng, "bilinear"),
      ...(opts.bilinearGain === undefined ? {} : { gain: opts.bilinearGain }),
      scale: opts.bilinearScale ?? DEFAULT_BILINEAR_SCALE,
    });
    this.nonlinearity = new GatedNonlinearity(repOut);
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
  }

  weights(): NamedWeight[] {
    return [
      ...prefixWeights("linear", this.linear.weights()),
      ...prefixWeights("bilinear", this.bilinear.weights()),
    ];
  }

  /** The block; with `demanded` (see `DemandModule`), only the outputs it marks are exact. */
  apply(x: tf.Tensor2D, ctx?: ApplyContext, demanded?: Uint8Array): tf.Tensor2D {
    return applyEMLPBlock(this, x, ctx, demanded);
  }

  featureMajorReady(): boolean {
    return (
      this.linear.featureMajorReady() &&
      this.bilinear.featureMajorReady() &&
      this.nonlinearity.featureMajorReady()
    );
  }

  /**
   * The block on feature-major activations ([inputSize, batch]; see `FeatureMajorModule`), with
   * `demanded` as in `apply`.
   */
  applyFeatureMajor(xT: tf.Tensor2D, ctx?: ApplyContext, demanded?: Uint8Array): tf.Tensor2D {
    checkFeatureMajorInput(xT, this.inputSize, this.name);
    const need = blockDemand(this, demanded);
    return tf.tidy(() => {
      const lin = this.linear.applyFeatureMajor(xT, ctx);
      const pre = this.bilinear.applyResidualFeatureMajor(lin, ctx, need);
      return this.nonlinearity.applyFeatureMajor(pre, ctx);
    });
  }

  dispose(): void {
    disposeEMLPBlock(this);
  }
}

export interface EMLPOptions {
  /**
   * Hidden width: a channel count for `uniformRep` (default 384), a Rep used for every hidden
   * layer, or one entry per hidden layer.
   */
  readonly channels?: number | Rep | readonly (number | Rep)[];
  /** Number of hidden layers (EMLP blocks) when `channels` is not a list (default 3). */
  readonly layers?: number;
  readonly rng: Rng;
  readonly name?: string;
  readonly bilinearGain?: number;
  /** The bilinear layer's relative initial scale (see `BiLinearOptions.scale`). */
  readonly bilinearScale?: number;
  readonly basis?: EquivariantBasisOptions;
}

/**
 * The equivariant MLP (Finzi et al. 2021): `layers` EMLP blocks through hidden reps, then an
 * equivariant linear map to repOut. Weights `layers.i.linear.*`, `layers.i.bilinear.*` and
 * `layers.L.*` for the last linear map.
 */
export class EMLP implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  readonly hidden: readonly Rep[];
  readonly blocks: readonly EMLPBlock[];
  readonly head: EquivariantLinear;
  /** See `EMLPStackParts.headDemand`. */
  readonly headDemand?: Uint8Array;

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    readonly group: Group,
    opts: EMLPOptions,
  ) {
    for (const [what, r] of [
      ["input", repIn],
      ["output", repOut],
    ] as const) {
      if (r.group.name !== group.name) {
        throw new InvalidArgumentError(
          `The EMLP's ${what} rep ${r.toString()} is a rep of ${r.group.name}, not of ${group.name}.`,
        );
      }
    }
    this.name = opts.name ?? "EMLP";
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
    const ch = opts.channels ?? 384;
    const spec = Array.isArray(ch)
      ? ch
      : new Array<number | Rep>(opts.layers ?? 3).fill(ch as number | Rep);
    this.hidden = spec.map((c: number | Rep) => (typeof c === "number" ? uniformRep(c, group) : c));
    const reps = [repIn, ...this.hidden];
    this.blocks = this.hidden.map(
      (rep, i) =>
        new EMLPBlock(reps[i]!, rep, {
          rng: childRng(opts.rng, `block${i}`),
          ...(opts.bilinearGain === undefined ? {} : { bilinearGain: opts.bilinearGain }),
          ...(opts.bilinearScale === undefined ? {} : { bilinearScale: opts.bilinearScale }),
          ...(opts.basis === undefined ? {} : { basis: opts.basis }),
        }),
    );
    this.head = new EquivariantLinear(reps.at(-1)!, repOut, {
      rng: childRng(opts.rng, "head"),
      ...(opts.basis === undefined ? {} : { basis: opts.basis }),
    });
    this.headDemand = headDemand(this.head);
  }

  weights(): NamedWeight[] {
    return emlpStackWeights(this);
  }

  apply(x: tf.Tensor2D, ctx?: ApplyContext): tf.Tensor2D {
    return applyEMLPStack(this, x, ctx);
  }

  metadata(): Record<string, string> {
    return emlpStackMetadata("EMLP", this);
  }

  dispose(): void {
    disposeEMLPStack(this);
  }
}
