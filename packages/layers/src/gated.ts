import type { GatePlan } from "@isotropy/core";
import { type Rep, Scalar } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { checkFeatureMajorInput, featureMajorUnavailable } from "./feature-major.js";
import { fusedGate, fusedGateAvailable } from "./fused-gate.js";
import { type ApplyContext, checkInput, type Module, type NamedWeight } from "./module.js";
import { isPermutationLeaf, isScalarLeaf, leafInstances } from "./rep-layout.js";
import { Selection } from "./selection.js";

/** Leaves that need a gate: neither scalars nor permutation representations. */
function needsGate(leaf: Rep): boolean {
  return !isScalarLeaf(leaf) && !isPermutationLeaf(leaf);
}

/**
 * `rep` plus one Scalar gate per leaf that is neither a scalar nor a permutation rep (emlp's
 * `gated`): the output rep of the linear (and bilinear) layer that feeds a `GatedNonlinearity`.
 * The gates sit after rep's own coordinates, in rep's canonical leaf order.
 */
export function gated(rep: Rep): Rep {
  const n = rep.decompose().leaves.filter(needsGate).length;
  return n === 0 ? rep : rep.plus(Scalar(rep.group).times(n));
}

/**
 * For each coordinate of `rep`, the column of `gated(rep)` whose sigmoid multiplies it: its own
 * gate scalar for gated leaves, the coordinate itself for scalars and permutation leaves (so
 * that those get Swish, x·sigmoid(x)).
 */
export function gateIndices(rep: Rep): Int32Array {
  const idx = new Int32Array(rep.size);
  for (let i = 0; i < rep.size; i++) idx[i] = i;
  let gate = rep.size;
  for (const inst of leafInstances(rep)) {
    if (!needsGate(inst.leaf)) continue;
    for (const p of inst.positions) idx[p] = gate;
    gate++;
  }
  return idx;
}

/** A run of consecutive canonical leaves treated alike. */
type Run =
  | { readonly kind: "swish"; readonly start: number; readonly length: number }
  | {
      readonly kind: "gate";
      readonly start: number;
      readonly count: number;
      readonly size: number;
      readonly gate: number;
    };

function runLength(r: Run): number {
  return r.kind === "swish" ? r.length : r.count * r.size;
}

/**
 * emlp's gated nonlinearity: input gated(rep), output rep. Each gated leaf is multiplied by the
 * sigmoid of its (invariant) gate scalar, which keeps equivariance; scalars and permutation
 * leaves go through Swish, which commutes with permutations. No weights.
 *
 * A backend with core's fused GATE_KERNEL (node) runs the layer as that one kernel. Otherwise
 * evaluation works on the transposed batch in rep's canonical leaf order, where consecutive
 * copies of a leaf and their gates are contiguous rows: each run of copies is one slice times
 * its broadcast gates, with no per-coordinate gather.
 */
export class GatedNonlinearity implements Module {
  readonly name: string;
  readonly inputSize: number;
  readonly outputSize: number;
  private readonly runs: Run[];
  private readonly toCanonical: Selection;
  private readonly fromCanonical: Selection | null;
  private plan: GatePlan | null = null;
  private readonly needed = new WeakMap<Uint8Array, Uint8Array>();

  constructor(
    readonly rep: Rep,
    opts: { name?: string } = {},
  ) {
    this.name = opts.name ?? "GatedNonlinearity";
    this.outputSize = rep.size;
    this.inputSize = gated(rep).size;
    const { leaves, perm } = rep.decompose();
    this.runs = [];
    let offset = 0;
    let gate = 0;
    for (const leaf of leaves) {
      const last = this.runs.at(-1);
      if (!needsGate(leaf)) {
        if (last?.kind === "swish")
          this.runs[this.runs.length - 1] = { ...last, length: last.length + leaf.size };
        else this.runs.push({ kind: "swish", start: offset, length: leaf.size });
      } else {
        if (last?.kind === "gate" && last.size === leaf.size) {
          this.runs[this.runs.length - 1] = { ...last, count: last.count + 1 };
        } else {
          this.runs.push({ kind: "gate", start: offset, count: 1, size: leaf.size, gate });
        }
        gate++;
      }
      offset += leaf.size;
    }
    // canonical row c of rep sits at layout position perm[c]
    const n = rep.size;
    const canon = Int32Array.from({ length: n }, (_, c) => (perm ? perm[c]! : c));
    this.toCanonical = new Selection(canon, n);
    const inverse = new Int32Array(n);
    canon.forEach((p, c) => {
      inverse[p] = c;
    });
    this.fromCanonical = perm ? new Selection(inverse, n) : null;
  }

  weights(): NamedWeight[] {
    return [];
  }

  /** The layer as core's fused-kernel plan (`GATE_KERNEL`); one object, built once. */
  fusedPlan(): GatePlan {
    this.plan ??= { inputSize: this.inputSize, gate: gateIndices(this.rep) };
    return this.plan;
  }

  /**
   * The input positions that the outputs marked in `demanded` (1 = read downstream) depend on:
   * each such output's own coordinate and its gate scalar. Computed once per mask object (masks
   * are read-only; a model passes the same one every step), so the result is that mask's too.
   */
  inputsNeeded(demanded: Uint8Array): Uint8Array {
    let need = this.needed.get(demanded);
    if (need === undefined) {
      const gate = this.fusedPlan().gate;
      need = new Uint8Array(this.inputSize);
      for (let i = 0; i < gate.length; i++) {
        if (demanded[i]) {
          need[i] = 1;
          need[gate[i]!] = 1;
        }
      }
      this.needed.set(demanded, need);
    }
    return need;
  }

  featureMajorReady(): boolean {
    return fusedGateAvailable();
  }

  /** The gate on feature-major activations ([inputSize, batch]; see `FeatureMajorModule`). */
  applyFeatureMajor(xT: tf.Tensor2D, _ctx?: ApplyContext): tf.Tensor2D {
    checkFeatureMajorInput(xT, this.inputSize, this.name);
    if (!this.featureMajorReady()) throw featureMajorUnavailable(this.name);
    return fusedGate(this.fusedPlan(), xT, true);
  }

  apply(x: tf.Tensor2D, _ctx?: ApplyContext): tf.Tensor2D {
    checkInput(x, this.inputSize, this.name);
    if (fusedGateAvailable()) return fusedGate(this.fusedPlan(), x);
    const n = this.outputSize;
    return tf.tidy(() => {
      const xt = tf.transpose(x) as tf.Tensor2D; // [features, batch]
      const bs = x.shape[0];
      // Splits rather than slices: a slice's gradient pads to the full input, and summing
      // those full-size pads cost more than the gate itself; a split's gradient is one concat.
      const nGates = this.inputSize - n;
      const [head, gates] = nGates > 0 ? tf.split(xt, [n, nGates], 0) : [xt, null];
      const values =
        this.runs.length > 1
          ? tf.split(this.toCanonical.rows(head!), this.runs.map(runLength), 0)
          : [this.toCanonical.rows(head!)];
      const gateRuns = this.runs.filter((r) => r.kind === "gate");
      const gateParts =
        gates === null
          ? []
          : gateRuns.length > 1
            ? tf.split(
                gates,
                gateRuns.map((r) => r.count),
                0,
              )
            : [gates];
      let k = 0;
      const parts = this.runs.map((r, i) => {
        const v = values[i]!;
        if (r.kind === "swish") return tf.mul(v, tf.sigmoid(v));
        const g = tf.reshape(tf.sigmoid(gateParts[k++]!), [r.count, 1, bs]);
        return tf.reshape(tf.mul(tf.reshape(v, [r.count, r.size, bs]), g), [r.count * r.size, bs]);
      });
      if (parts.length === 0) return tf.zeros([bs, 0]) as tf.Tensor2D;
      const y = (parts.length === 1 ? parts[0]! : tf.concat(parts, 0)) as tf.Tensor2D;
      return tf.transpose(this.fromCanonical ? this.fromCanonical.rows(y) : y) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.toCanonical.dispose();
    this.fromCanonical?.dispose();
  }
}
