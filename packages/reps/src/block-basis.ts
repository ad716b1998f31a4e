import { Matrix } from "@isotropy/linalg";

/**
 * An orthonormal basis of one leaf-pair solution space (rows = out leaf size x in leaf size).
 * Two concrete forms: dense columns, and orbital (0/1 indicators of orbits, normalised), which
 * is exact and sparse, so permutation groups never materialise a dense basis.
 */
export type BlockBasis = DenseBasis | OrbitBasis;

export class DenseBasis {
  readonly kind = "dense";
  constructor(readonly matrix: Matrix) {}

  get rows(): number {
    return this.matrix.rows;
  }

  get dim(): number {
    return this.matrix.cols;
  }

  toDense(): Matrix {
    return this.matrix;
  }

  /** Σ_j c_j b_j. */
  combine(coeffs: ArrayLike<number>): Float64Array {
    return this.matrix.matvec(coeffs);
  }

  /** Coordinates B^T x of a vector in this basis. */
  coordinates(x: ArrayLike<number>): Float64Array {
    const { rows, cols, data } = this.matrix;
    const c = new Float64Array(cols);
    for (let i = 0; i < rows; i++) {
      const xi = x[i]!;
      if (xi === 0) continue;
      for (let j = 0; j < cols; j++) c[j]! += data[i * cols + j]! * xi;
    }
    return c;
  }

  /** The same basis with rows reordered: new row i is old row index[i]. */
  reindex(index: Int32Array): DenseBasis {
    const { cols, data } = this.matrix;
    const out = new Matrix(index.length, cols);
    for (let i = 0; i < index.length; i++) {
      out.data.set(data.subarray(index[i]! * cols, (index[i]! + 1) * cols), i * cols);
    }
    return new DenseBasis(out);
  }
}

export class OrbitBasis {
  readonly kind = "orbit";
  /** orbitOf[i] is the orbit (= basis vector) of row i, or -1 for rows in no orbit vector. */
  readonly orbitOf: Int32Array;
  readonly dim: number;
  private readonly scale: Float64Array;

  constructor(orbitOf: Int32Array, dim: number) {
    this.orbitOf = orbitOf;
    this.dim = dim;
    const counts = new Float64Array(dim);
    for (const o of orbitOf) if (o >= 0) counts[o]!++;
    this.scale = counts.map((c) => 1 / Math.sqrt(c));
  }

  get rows(): number {
    return this.orbitOf.length;
  }

  toDense(): Matrix {
    const m = new Matrix(this.rows, this.dim);
    this.orbitOf.forEach((o, i) => {
      if (o >= 0) m.data[i * this.dim + o] = this.scale[o]!;
    });
    return m;
  }

  combine(coeffs: ArrayLike<number>): Float64Array {
    const out = new Float64Array(this.rows);
    this.orbitOf.forEach((o, i) => {
      if (o >= 0) out[i] = coeffs[o]! * this.scale[o]!;
    });
    return out;
  }

  coordinates(x: ArrayLike<number>): Float64Array {
    const c = new Float64Array(this.dim);
    this.orbitOf.forEach((o, i) => {
      if (o >= 0) c[o]! += x[i]! * this.scale[o]!;
    });
    return c;
  }

  reindex(index: Int32Array): OrbitBasis {
    const o = new Int32Array(index.length);
    for (let i = 0; i < index.length; i++) o[i] = this.orbitOf[index[i]!]!;
    return new OrbitBasis(o, this.dim);
  }
}

/** The Kronecker product of two bases (a most significant): columns kron(a_i, b_j), i major. */
export function kronBasis(a: BlockBasis, b: BlockBasis): BlockBasis {
  if (a.kind === "orbit" && b.kind === "orbit") {
    const o = new Int32Array(a.rows * b.rows);
    for (let i = 0; i < a.rows; i++) {
      const oa = a.orbitOf[i]!;
      for (let j = 0; j < b.rows; j++) {
        const ob = b.orbitOf[j]!;
        o[i * b.rows + j] = oa < 0 || ob < 0 ? -1 : oa * b.dim + ob;
      }
    }
    return new OrbitBasis(o, a.dim * b.dim);
  }
  return new DenseBasis(a.toDense().kron(b.toDense()));
}
