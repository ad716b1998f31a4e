import * as tf from "@tensorflow/tfjs-core";
import type { LeafInstance } from "./rep-layout.js";
import { Selection } from "./selection.js";

/**
 * The rows of a (transposed) input regrouped into pieces, one per key: piece k holds its copies
 * element-major (element e of copy j at row e * copies + j). Layers that read many small
 * selections of their input take them from the pieces, so that each selection's gradient is
 * piece-sized instead of input-sized: tfjs sums gradients of one tensor by full-size adds, and
 * on wasm these adds, not the products, had set the bilinear layer's backward time.
 */
export class InputPieces {
  /** Row counts of the pieces, in key order. */
  readonly sizes: number[] = [];
  readonly keys: string[] = [];
  /** Per input row: its piece (-1 where no piece holds it) and its row inside that piece. */
  readonly pieceOf: Int32Array;
  readonly rowIn: Int32Array;
  private readonly group: Selection;

  constructor(
    instances: readonly LeafInstance[],
    inputSize: number,
    keyOf: (i: LeafInstance) => string | null,
  ) {
    const byKey = new Map<string, LeafInstance[]>();
    for (const inst of instances) {
      const key = keyOf(inst);
      if (key === null) continue;
      const list = byKey.get(key) ?? [];
      list.push(inst);
      byKey.set(key, list);
    }
    this.pieceOf = new Int32Array(inputSize).fill(-1);
    this.rowIn = new Int32Array(inputSize).fill(-1);
    const source: number[] = [];
    for (const [key, copies] of byKey) {
      const piece = this.keys.length;
      const size = copies[0]!.positions.length;
      const base = source.length;
      for (let e = 0; e < size; e++) {
        copies.forEach((c, j) => {
          const pos = c.positions[e]!;
          this.pieceOf[pos] = piece;
          this.rowIn[pos] = e * copies.length + j;
          source[base + e * copies.length + j] = pos;
        });
      }
      this.keys.push(key);
      this.sizes.push(size * copies.length);
    }
    this.group = new Selection(Int32Array.from(source), inputSize);
  }

  /** The pieces of xt [inputSize, batch], each [size, batch] (one permutation, one split). */
  split(xt: tf.Tensor2D): tf.Tensor2D[] {
    if (this.sizes.length === 0) return [];
    const grouped = this.group.rows(xt);
    return this.sizes.length === 1
      ? [grouped]
      : (tf.split(grouped, this.sizes, 0) as tf.Tensor2D[]);
  }

  /** Piece-local rows of input positions that must all lie in one piece; returns that piece. */
  locate(positions: Int32Array): { piece: number; rows: Int32Array } {
    const piece = this.pieceOf[positions[0]!]!;
    const rows = new Int32Array(positions.length);
    positions.forEach((p, k) => {
      if (this.pieceOf[p] !== piece)
        throw new Error(`InputPieces: positions span pieces ${piece} and ${this.pieceOf[p]}`);
      rows[k] = this.rowIn[p]!;
    });
    return { piece, rows };
  }

  dispose(): void {
    this.group.dispose();
  }
}
