import type { AssemblyPlan } from "@isotropy/core";
import type { EquivariantBasis } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { fusedAssemble, fusedAssembleAvailable } from "./fused-assemble.js";
import { constantRightProduct } from "./matmul.js";
import { Selection } from "./selection.js";

interface PairInfo {
  readonly outKey: string;
  readonly outSize: number;
  readonly inCopies: number;
  readonly rank: number;
}

/**
 * Assembles the dense map W = Σ c B of an equivariant basis on the accelerator, from
 * coefficients held per distinct block pair.
 *
 * For each pair p (out leaf type x in leaf type, rank r_p) the constant B_p^T has shape
 * [r_p, outLeaf.size * inLeaf.size] and the coefficients C_p have shape
 * [outCopies * inCopies, r_p]. One matMul per pair gives every copy's block at once
 * (C_p B_p^T), the blocks are concatenated, and ONE indexed placement with a precomputed index
 * puts each entry at its place in W^T (entries no pair touches stay zero). The placement is a
 * gather in meaning, run as a scatter (see `Selection`). W^T rather than W, so that y = x W^T is
 * a plain product (transposed products are much slower on some backends). Time and memory scale
 * with the distinct blocks and their multiplicities, never with size x dim. A backend with core's
 * ASSEMBLE_KERNEL (node) does all of it in one kernel, from the same bases and placement.
 */
export class BasisAssembly {
  /** Per pair: [outCopies * inCopies, r] (the coefficient layout of `EquivariantBasis`). */
  readonly coefficientShapes: readonly (readonly [number, number])[];
  readonly pairs: readonly PairInfo[];
  /**
   * Per pair: the factor alpha_p = sqrt(rows / r) between a coefficient here and one of
   * `EquivariantBasis` (W = basis.weight(alpha_p * c)).
   */
  readonly alphas: number[] = [];
  private readonly basesT: tf.Tensor2D[];
  private readonly products: ReturnType<typeof constantRightProduct>[];
  private readonly place: Selection;
  /** The fused kernel's plan: the bases and, per block entry, its place in W^T. */
  readonly plan: AssemblyPlan;

  constructor(readonly basis: EquivariantBasis) {
    const nIn = basis.repIn.size;
    const nOut = basis.repOut.size;
    const shapes: [number, number][] = [];
    const pairs: PairInfo[] = [];
    this.basesT = [];
    let total = 0;
    for (const p of basis.pairs) total += p.outOffsets.length * p.inOffsets.length * p.basis.rows;
    // W^T entry (i, o) reads concatenated block entry index[i * nOut + o], or stays zero (-1).
    const index = new Int32Array(nOut * nIn).fill(-1);
    const positions = new Int32Array(total);
    const planPairs: AssemblyPlan["pairs"][number][] = [];
    let base = 0;
    for (const p of basis.pairs) {
      const so = p.outLeaf.size;
      const si = p.inLeaf.size;
      const r = p.basis.dim;
      const dense = p.basis.toDense(); // (so*si) x r, orthonormal columns
      // Columns scaled to norm sqrt(so*si / r): an Adam step of size lr on each coefficient then
      // moves W about as far as a step on a dense weight projected onto the basis would (emlp's
      // parametrisation), instead of sqrt(r / (so*si)) times less. Init scales divide it out.
      const alpha = Math.sqrt((so * si) / r);
      this.alphas.push(alpha);
      const bt = new Float32Array(r * so * si);
      for (let e = 0; e < so * si; e++) {
        for (let j = 0; j < r; j++) bt[j * so * si + e] = alpha * dense.data[e * r + j]!;
      }
      this.basesT.push(tf.keep(tf.tensor2d(bt, [r, so * si])));
      shapes.push([p.outOffsets.length * p.inOffsets.length, r]);
      pairs.push({ outKey: p.outLeaf.key, outSize: so, inCopies: p.inOffsets.length, rank: r });
      let row = 0;
      for (const oo of p.outOffsets) {
        for (const io of p.inOffsets) {
          const blockBase = base + row * so * si;
          for (let a = 0; a < so; a++) {
            const o = basis.outPos(oo + a);
            for (let b = 0; b < si; b++) {
              const at = basis.inPos(io + b) * nOut + o;
              index[at] = blockBase + a * si + b;
              positions[blockBase + a * si + b] = at;
            }
          }
          row++;
        }
      }
      const placed = positions.subarray(base, base + row * so * si);
      planPairs.push({ rows: row, rank: r, blockSize: so * si, basisT: bt, index: placed });
      base += row * so * si;
    }
    this.place = new Selection(index, total);
    this.plan = { size: nOut * nIn, pairs: planPairs };
    this.products = this.basesT.map((b) => constantRightProduct(b));
    this.coefficientShapes = shapes;
    this.pairs = pairs;
  }

  /**
   * The standard deviation of each pair's coefficients for unit-variance outputs: with
   * orthonormal block bases, Σ over an out block's rows of E[Σ_j W_ij^2] equals σ^2 times the
   * number of basis vectors that touch that block (Σ over its pairs of inCopies * r). Choosing
   * σ^2 = outLeaf.size / that number makes the block's mean Var[y_i] exactly 1 for white
   * unit-variance inputs: the "1/fan_in" rule, counted in basis coefficients.
   */
  initScales(): number[] {
    const fan = new Map<string, number>();
    for (const p of this.pairs) fan.set(p.outKey, (fan.get(p.outKey) ?? 0) + p.inCopies * p.rank);
    return this.pairs.map((p, i) => Math.sqrt(p.outSize / fan.get(p.outKey)!) / this.alphas[i]!);
  }

  /** W^T flattened row-major ([repIn.size, repOut.size]) from the per-pair coefficients. */
  assemble(coeffs: readonly tf.Tensor2D[]): tf.Tensor1D {
    return tf.tidy(() => {
      if (coeffs.length === 0) return tf.zeros([this.place.size]) as tf.Tensor1D;
      if (fusedAssembleAvailable()) {
        return fusedAssemble(this.plan, coeffs);
      }
      const parts = coeffs.map((c, i) => tf.reshape(this.products[i]!.apply(c), [-1]));
      return this.place.rows(parts.length === 1 ? parts[0]! : tf.concat(parts)) as tf.Tensor1D;
    });
  }

  dispose(): void {
    for (const b of this.basesT) b.dispose();
    for (const p of this.products) p.dispose();
    this.place.dispose();
  }
}
