import { type BiLinearPlan, InvalidArgumentError, type Rng } from "@isotropy/core";
import { type Rep, type TensorFactor, TensorRep } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { checkFeatureMajorInput, featureMajorUnavailable } from "./feature-major.js";
import { bilinearPlan, fusedBilinear, fusedBilinearAvailable } from "./fused-bilinear.js";
import { InputPieces } from "./input-pieces.js";
import { matMul } from "./matmul.js";
import {
  type ApplyContext,
  checkInput,
  type Module,
  makeVariable,
  type NamedWeight,
} from "./module.js";
import { isScalarLeaf, leafInstances, leafTypes } from "./rep-layout.js";
import { Selection } from "./selection.js";
import { withZeroGradients } from "./zero-gradient.js";

export interface BiLinearOptions {
  /** Initialisation randomness. */
  readonly rng: Rng;
  readonly name?: string;
  /**
   * A fixed output multiplier for every block. Default: 1/sqrt(fan) per output leaf type, where
   * fan is the output's second moment for θ ~ N(0, 1) and white unit Gaussian inputs, so that
   * outputs start with unit variance; emlp's own layer uses 0.1.
   */
  readonly gain?: number;
  /**
   * With the default gain: the output's standard deviation at initialisation relative to a
   * unit-variance layer (default 1). The bilinear term is quadratic in its input, so in deep
   * stacks a smaller value keeps it a perturbation of the residual path.
   */
  readonly scale?: number;
}

/**
 * One (out leaf type, in leaf type) pair of the bilinear map: the W block of out copy o and in
 * copy c is Σ_m θ[o, c, m] Z_m, where Z_1..Z_n are copies of the same tensor type found in the
 * input itself, read in the block's own index order.
 */
export interface BiLinearPair {
  /** Rep-layout positions of each out copy (length outLeaf.size each). */
  readonly outCopies: readonly Int32Array[];
  /** Input positions of each in copy (length inLeaf.size each). */
  readonly inCopies: readonly Int32Array[];
  /** Input positions of the n chosen copies of the block type, indexed a * inLeaf.size + b. */
  readonly pool: readonly Int32Array[];
  /** The constant multiplier of this pair's output. */
  readonly gain: number;
  /** Index of this pair's variable (`coeffs.k`, shape [outCopies, inCopies, n]). */
  readonly variable: number;
  /** Contraction order: "zx" contracts Z with x first, "wx" mixes x with θ first. */
  readonly order: "zx" | "wx";
}

/** A bilinear layer restricted to the pairs some demanded outputs need (`livePairs`). */
interface Pruning {
  /** The pairs that run, in order, and the thetas of the others. */
  readonly live: readonly number[];
  readonly skipped: readonly tf.Variable[];
  /** The fused plans of the pairs that run, without and with the residual sum. */
  readonly plan: BiLinearPlan;
  readonly residualPlan: BiLinearPlan;
}

interface CompiledPair {
  readonly desc: BiLinearPair;
  readonly so: number;
  readonly si: number;
  readonly cO: number;
  readonly cI: number;
  readonly n: number;
  /** Z and x as selections of input pieces (`InputPieces`): piece index and rows. */
  readonly zPiece: number;
  readonly z: Selection;
  readonly xPiece: number;
  readonly x: Selection;
}

/**
 * emlp's bilinear layer: y = W(x) x, where W(x): repIn -> repOut is built from the input's own
 * components, so that it transforms like a map repIn -> repOut and no basis needs solving. Each
 * block of W between an out copy of type Ro and an in copy of type Ri is a learned combination of
 * the input's copies of the tensor type Ro ⊗ Ri* (matched up to a reordering of tensor axes,
 * which commutes with the group), using at most |Ro ⊗ Ri*| of those copies (emlp samples them;
 * here they are evenly spaced, so the layer is deterministic). Scalar x scalar blocks and blocks
 * whose type the input lacks stay zero, as in emlp.
 *
 * Evaluation never forms W(x) (which would be batch x |repOut| x |repIn|): per type pair it
 * either contracts Z with x first and then mixes copies with θ, or mixes x with θ first and then
 * contracts with Z, whichever needs fewer multiplications.
 */
export class BiLinear implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly compiled: CompiledPair[];
  private readonly groups: { pairs: CompiledPair[]; size: number }[];
  private readonly out: Selection;
  private readonly pieces: InputPieces;
  private readonly thetas: tf.Variable<tf.Rank.R3>[];
  private plan: BiLinearPlan | null = null;
  private residualPlan: BiLinearPlan | null = null;
  /** Per demanded-outputs mask (read-only, the same object every step): its pruning, or null. */
  private readonly prunings = new WeakMap<Uint8Array, Pruning | null>();

  constructor(
    readonly repIn: Rep,
    readonly repOut: Rep,
    opts: BiLinearOptions,
  ) {
    if (repIn.group.name !== repOut.group.name) {
      throw new InvalidArgumentError(
        `BiLinear needs reps of one group, got ${repIn.group.name} -> ${repOut.group.name}.`,
      );
    }
    this.name = opts.name ?? "BiLinear";
    this.inputSize = repIn.size;
    this.outputSize = repOut.size;
    const group = repIn.group;

    // The input's tensor copies, pooled by the multiset of their factors.
    const pools = new Map<string, { factors: readonly TensorFactor[]; positions: Int32Array }[]>();
    for (const inst of leafInstances(repIn)) {
      if (!(inst.leaf instanceof TensorRep) || isScalarLeaf(inst.leaf)) continue;
      const key = multisetKey(inst.leaf.factors);
      const list = pools.get(key) ?? [];
      list.push({ factors: inst.leaf.factors, positions: inst.positions });
      pools.set(key, list);
    }

    // Tensor copies grouped by factor multiset: every Z and x below is read from one such piece.
    this.pieces = new InputPieces(leafInstances(repIn), repIn.size, (inst) =>
      inst.leaf instanceof TensorRep ? multisetKey(inst.leaf.factors) : null,
    );
    const inTypes = leafTypes(repIn);
    const descs: { desc: Omit<BiLinearPair, "gain" | "variable" | "order">; outKey: string }[] = [];
    const fan = new Map<string, number>();
    for (const o of leafTypes(repOut)) {
      for (const i of inTypes) {
        if (!(o.leaf instanceof TensorRep && i.leaf instanceof TensorRep)) continue;
        const block = new TensorRep(group, [
          ...o.leaf.factors,
          ...i.leaf.factors.map((f) => ({ factor: f.factor, dual: !f.dual })),
        ]);
        if (block.factors.length === 0) continue;
        const pool = pools.get(multisetKey(block.factors));
        if (!pool) continue;
        const n = Math.min(pool.length, block.size);
        const chosen: Int32Array[] = [];
        for (let m = 0; m < n; m++) {
          const copy = pool[Math.floor((m * pool.length) / n)]!;
          chosen.push(readInOrder(group, block.factors, copy.factors, copy.positions));
        }
        descs.push({
          desc: { outCopies: o.copies, inCopies: i.copies, pool: chosen },
          outKey: o.leaf.key,
        });
        let moment = 0;
        for (const c of i.copies) for (const z of chosen) moment += secondMoment(z, c);
        fan.set(o.leaf.key, (fan.get(o.leaf.key) ?? 0) + moment);
      }
    }

    this.compiled = [];
    this.thetas = [];
    const byOut = new Map<string, CompiledPair[]>();
    descs.forEach(({ desc, outKey }, k) => {
      const so = desc.outCopies[0]!.length;
      const si = desc.inCopies[0]!.length;
      const cO = desc.outCopies.length;
      const cI = desc.inCopies.length;
      const n = desc.pool.length;
      const costZx = perSampleCost(so * n, si, cI) + denseCost(cO * cI * n * so);
      const costWx = denseCost(cO * n * cI * si) + perSampleCost(so, si * n, cO);
      const order = costZx <= costWx ? "zx" : "wx";
      const gain = opts.gain ?? (opts.scale ?? 1) / Math.sqrt(fan.get(outKey)!);
      const full: BiLinearPair = { ...desc, gain, variable: k, order };
      // Z gathered as (a, m, b) for "zx" and as (a, b, m) for "wx"; x as (b, c).
      const z = new Int32Array(so * si * n);
      const x = new Int32Array(cI * si);
      for (let a = 0; a < so; a++) {
        for (let b = 0; b < si; b++) {
          for (let m = 0; m < n; m++) {
            const at = order === "zx" ? (a * n + m) * si + b : (a * si + b) * n + m;
            z[at] = desc.pool[m]![a * si + b]!;
          }
        }
      }
      for (let c = 0; c < cI; c++) {
        for (let b = 0; b < si; b++) x[b * cI + c] = desc.inCopies[c]![b]!;
      }
      const zAt = this.pieces.locate(z);
      const xAt = this.pieces.locate(x);
      const cp: CompiledPair = {
        desc: full,
        so,
        si,
        cO,
        cI,
        n,
        zPiece: zAt.piece,
        z: new Selection(zAt.rows, this.pieces.sizes[zAt.piece]!),
        xPiece: xAt.piece,
        x: new Selection(xAt.rows, this.pieces.sizes[xAt.piece]!),
      };
      this.compiled.push(cp);
      this.thetas.push(
        makeVariable(opts.rng.normals(cO * cI * n), [cO, cI, n]) as tf.Variable<tf.Rank.R3>,
      );
      const list = byOut.get(outKey) ?? [];
      list.push(cp);
      byOut.set(outKey, list);
    });

    // Each out type's result is [so * cO, batch] (row a * cO + o); one selection lays them out.
    const outIndex = new Int32Array(repOut.size).fill(-1);
    this.groups = [];
    let base = 0;
    for (const pairs of byOut.values()) {
      const first = pairs[0]!;
      first.desc.outCopies.forEach((copy, o) => {
        for (let a = 0; a < copy.length; a++) outIndex[copy[a]!] = base + a * first.cO + o;
      });
      this.groups.push({ pairs, size: first.so * first.cO });
      base += first.so * first.cO;
    }
    this.out = new Selection(outIndex, base);
  }

  /** The structure of every block pair (for inspection and reference implementations). */
  pairs(): BiLinearPair[] {
    return this.compiled.map((c) => c.desc);
  }

  /** The layer as core's fused-kernel plan (`BILINEAR_KERNEL`); one object, built once. */
  fusedPlan(): BiLinearPlan {
    this.plan ??= bilinearPlan(this.pairs(), this.inputSize, this.outputSize);
    return this.plan;
  }

  /**
   * The indices of the pairs that write at least one output marked in `demanded` (1 = read
   * downstream); null when that is every pair (or `demanded` is absent). A pair whose outputs
   * nobody reads can be skipped: it adds nothing to any other output or to any gradient.
   */
  livePairs(demanded?: Uint8Array): number[] | null {
    if (demanded === undefined) return null;
    if (demanded.length !== this.outputSize) {
      throw new InvalidArgumentError(
        `${this.name}: demanded outputs must be a mask of ${this.outputSize} entries, got ${demanded.length}.`,
      );
    }
    const live: number[] = [];
    this.compiled.forEach((p, k) => {
      if (p.desc.outCopies.some((copy) => copy.some((i) => demanded[i] === 1))) live.push(k);
    });
    return live.length === this.compiled.length ? null : live;
  }

  /** `demanded`'s pairs and plans (null: every pair runs), computed once per mask object. */
  private pruning(demanded?: Uint8Array): Pruning | null {
    if (demanded === undefined) return null;
    let hit = this.prunings.get(demanded);
    if (hit === undefined) {
      const live = this.livePairs(demanded);
      if (live === null) {
        hit = null;
      } else {
        const plan = bilinearPlan(
          live.map((k) => this.compiled[k]!.desc),
          this.inputSize,
          this.outputSize,
        );
        const skipped = this.thetas.filter((_, k) => !live.includes(k));
        hit = { live, skipped, plan, residualPlan: { ...plan, residual: true } };
      }
      this.prunings.set(demanded, hit);
    }
    return hit;
  }

  /**
   * The thetas of the pairs that run, the first one carrying every skipped pair's theta as an
   * input of gradient exactly zero (`withZeroGradients`): a skipped theta's gradient is zero
   * anyway, and training code then sees a gradient for every weight. Call in a tidy.
   */
  private liveThetas(p: Pruning): tf.Tensor[] {
    const thetas: tf.Tensor[] = p.live.map((k) => this.thetas[k]!);
    if (thetas.length > 0) thetas[0] = withZeroGradients(thetas[0]!, p.skipped);
    return thetas;
  }

  /** W(x) x + x through the fused kernel, the pairs `demanded` needs only (x if none). */
  private fusedResidual(x: tf.Tensor2D, demanded: Uint8Array | undefined, fm: boolean) {
    const p = this.pruning(demanded);
    if (p === null)
      return tf.tidy(() => fusedBilinear(this.residualFusedPlan(), x, this.thetas, fm));
    if (p.live.length === 0) return x;
    return tf.tidy(() => fusedBilinear(p.residualPlan, x, this.liveThetas(p), fm));
  }

  weights(): NamedWeight[] {
    return this.thetas.map((variable, i) => ({ name: `coeffs.${i}`, variable }));
  }

  /**
   * apply(x) + x, the residual connection of an EMLP block (repIn = repOut). A backend with the
   * fused kernel adds x inside it (one kernel, no separate sum or gradient accumulation). With
   * `demanded` (see `livePairs`), outputs outside it may hold x alone.
   */
  applyResidual(x: tf.Tensor2D, ctx?: ApplyContext, demanded?: Uint8Array): tf.Tensor2D {
    this.checkResidual();
    if (this.groups.length > 0 && fusedBilinearAvailable()) {
      checkInput(x, this.inputSize, this.name);
      return this.fusedResidual(x, demanded, false);
    }
    return tf.tidy(() => tf.add(this.apply(x, ctx, demanded), x) as tf.Tensor2D);
  }

  /** The fused plan with the residual sum (`BiLinearPlan.residual`); one object, built once. */
  private residualFusedPlan(): BiLinearPlan {
    this.residualPlan ??= { ...this.fusedPlan(), residual: true };
    return this.residualPlan;
  }

  private checkResidual(): void {
    if (this.inputSize !== this.outputSize) {
      throw new InvalidArgumentError(
        `${this.name}: a residual needs equal input and output sizes, got ${this.inputSize} and ${this.outputSize}.`,
      );
    }
  }

  /** Whether `applyResidualFeatureMajor` runs on the active backend (the fused kernel). */
  featureMajorReady(): boolean {
    return this.groups.length > 0 && fusedBilinearAvailable();
  }

  /**
   * `applyResidual` on feature-major activations ([inputSize, batch]; `FeatureMajorModule`),
   * with `demanded` as there.
   */
  applyResidualFeatureMajor(
    xT: tf.Tensor2D,
    _ctx?: ApplyContext,
    demanded?: Uint8Array,
  ): tf.Tensor2D {
    this.checkResidual();
    checkFeatureMajorInput(xT, this.inputSize, this.name);
    if (!this.featureMajorReady()) throw featureMajorUnavailable(this.name);
    return this.fusedResidual(xT, demanded, true);
  }

  /**
   * y = W(x) x. With `demanded` (1 at each output read downstream; see `livePairs`), the pairs
   * that write none of those are skipped, and outputs outside it may read 0.
   */
  apply(x: tf.Tensor2D, _ctx?: ApplyContext, demanded?: Uint8Array): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    const pruning = this.pruning(demanded);
    return tf.tidy(() => {
      const bs = x.shape[0];
      if (this.groups.length === 0 || pruning?.live.length === 0)
        return tf.zeros([bs, this.outputSize]) as tf.Tensor2D;
      // A backend that runs the whole layer as one kernel (the node backend) gets it.
      if (fusedBilinearAvailable()) {
        if (pruning === null) return fusedBilinear(this.fusedPlan(), x, this.thetas);
        return fusedBilinear(pruning.plan, x, this.liveThetas(pruning));
      }
      // The theta of each pair that runs.
      const theta = new Map<CompiledPair, tf.Tensor>(
        pruning === null
          ? this.compiled.map((p, k) => [p, this.thetas[k]!])
          : this.liveThetas(pruning).map((t, i) => [this.compiled[pruning.live[i]!]!, t]),
      );
      // Selections act on rows of the transposed batch (see `Selection`), here of its pieces.
      const pieces = this.pieces.split(tf.transpose(x) as tf.Tensor2D);
      const parts = this.groups.map((g) => {
        const pairs = g.pairs.filter((p) => theta.has(p));
        if (pairs.length === 0) return tf.zeros([g.size, bs]);
        const terms = pairs.map((p) => this.pairTerm(p, theta.get(p)!, pieces, bs));
        const sum = terms.length === 1 ? terms[0]! : tf.addN(terms);
        return tf.transpose(tf.reshape(sum, [bs, g.size]));
      });
      const all = parts.length === 1 ? parts[0]! : tf.concat(parts, 0);
      return tf.transpose(this.out.rows(all)) as tf.Tensor2D;
    });
  }

  /** One pair's contribution, [batch, so, cO], from the transposed input's pieces. */
  private pairTerm(
    p: CompiledPair,
    weight: tf.Tensor,
    pieces: tf.Tensor2D[],
    bs: number,
  ): tf.Tensor3D {
    const { so, si, cO, cI, n } = p;
    const theta = tf.mul(weight, p.desc.gain); // [cO, cI, n]
    const z = tf.transpose(p.z.rows(pieces[p.zPiece]!)); // [bs, so * si * n]
    const xc = tf.transpose(p.x.rows(pieces[p.xPiece]!)); // [bs, si * cI], (b, c)
    if (p.desc.order === "zx") {
      // v[bs, (a, m), c] = Σ_b Z_m[a, b] x_c[b]; then Σ_{m, c} θ[o, c, m] v.
      const v = perSampleMatMul(
        tf.reshape(z, [bs, so * n, si]) as tf.Tensor3D,
        tf.reshape(xc, [bs, si, cI]) as tf.Tensor3D,
      );
      const mix = tf.reshape(tf.transpose(theta, [2, 1, 0]), [n * cI, cO]) as tf.Tensor2D;
      const y = matMul(tf.reshape(v, [bs * so, n * cI]) as tf.Tensor2D, mix);
      return tf.reshape(y, [bs, so, cO]);
    }
    // t[bs, (b, m), o] = Σ_c θ[o, c, m] x_c[b]; then Σ_{b, m} Z_m[a, b] t.
    const mix = tf.reshape(tf.transpose(theta, [1, 2, 0]), [cI, n * cO]) as tf.Tensor2D;
    const t = matMul(tf.reshape(xc, [bs * si, cI]) as tf.Tensor2D, mix);
    return perSampleMatMul(
      tf.reshape(z, [bs, so, si * n]) as tf.Tensor3D,
      tf.reshape(t, [bs, si * n, cO]) as tf.Tensor3D,
    );
  }

  metadata(): Record<string, string> {
    return {
      kind: "BiLinear",
      group: this.repIn.group.name,
      repIn: this.repIn.toString(),
      repOut: this.repOut.toString(),
    };
  }

  dispose(): void {
    for (const p of this.compiled) {
      p.z.dispose();
      p.x.dispose();
    }
    this.out.dispose();
    this.pieces.dispose();
    for (const t of this.thetas) t.dispose();
  }
}

/**
 * Relative cost (per sample) of a per-sample product [p, k] x [k, q]: batched products of small
 * matrices cost about 1.2 ns per multiply-add plus 8 ns per output on wasm (measured), and an
 * inner size of 1 is an outer product done elementwise.
 */
function perSampleCost(p: number, k: number, q: number): number {
  return k === 1 ? p * q : p * k * q * 1.2 + p * q * 8;
}

/** Relative cost (per sample) of a plain 2-D product of `macs` multiply-adds (about 10 GFLOP/s). */
function denseCost(macs: number): number {
  return macs * 0.15;
}

/** a [batch, p, k] x b [batch, k, q], sample by sample; k = 1 as a broadcast outer product. */
function perSampleMatMul(a: tf.Tensor3D, b: tf.Tensor3D): tf.Tensor3D {
  return a.shape[2] === 1 ? (tf.mul(a, b) as tf.Tensor3D) : matMul(a, b);
}

/**
 * E[(Σ_b Z[a, b] x[b])^2] for white unit Gaussian inputs: |x| when Z reads other coordinates;
 * when Z is the copy x itself read through an axis permutation π (a scalar out block),
 * Isserlis' theorem gives F^2 + |x| + #{b : π(π(b)) = b}, F the fixed points of π.
 */
function secondMoment(z: Int32Array, x: Int32Array): number {
  const si = x.length;
  if (z.length !== si || !x.includes(z[0]!)) return si;
  const at = new Map<number, number>();
  x.forEach((p, b) => {
    at.set(p, b);
  });
  const pi = Array.from(z, (p) => at.get(p)!);
  let fixed = 0;
  let involutive = 0;
  for (let b = 0; b < si; b++) {
    if (pi[b] === b) fixed++;
    if (pi[pi[b]!] === b) involutive++;
  }
  return fixed * fixed + si + involutive;
}

function factorId(f: TensorFactor): string {
  return `${f.factor}${f.dual ? "*" : ""}`;
}

/** Tensor types equal up to a reordering of axes share this key. */
function multisetKey(factors: readonly TensorFactor[]): string {
  return factors.map(factorId).sort().join(",");
}

/**
 * The positions of a tensor copy with factors `have`, read in the index order of factors
 * `want` (the same multiset): axis j of `want` is the next unused axis of `have` of the same
 * factor. Permuting tensor axes of equal factors commutes with the group action.
 */
function readInOrder(
  group: Rep["group"],
  want: readonly TensorFactor[],
  have: readonly TensorFactor[],
  positions: Int32Array,
): Int32Array {
  const dim = (f: TensorFactor) => (group.factors ? group.factors[f.factor]!.group.d : group.d);
  const used = new Uint8Array(have.length);
  const axis = want.map((f) => {
    const k = have.findIndex((h, j) => !used[j] && factorId(h) === factorId(f));
    used[k] = 1;
    return k;
  });
  const haveStride = new Array<number>(have.length);
  let s = 1;
  for (let k = have.length - 1; k >= 0; k--) {
    haveStride[k] = s;
    s *= dim(have[k]!);
  }
  const wantDims = want.map(dim);
  const out = new Int32Array(positions.length);
  const idx = new Array<number>(want.length).fill(0);
  for (let t = 0; t < positions.length; t++) {
    let flat = 0;
    for (let j = 0; j < want.length; j++) flat += idx[j]! * haveStride[axis[j]!]!;
    out[t] = positions[flat]!;
    for (let j = want.length - 1; j >= 0; j--) {
      if (++idx[j]! < wantDims[j]!) break;
      idx[j] = 0;
    }
  }
  return out;
}
