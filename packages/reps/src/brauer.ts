import { ConvergenceError } from "@isotropy/core";
import type { InvariantForm } from "@isotropy/groups";
import { inverse, Matrix, symmetricEigen } from "@isotropy/linalg";

/**
 * Invariant tensors of the classical groups in closed form (the first fundamental theorem of
 * invariant theory; Brauer diagrams, cf. Pearce-Crump 2022-23). For a group that is all of O(B),
 * SO(B) or Sp(B) (or its identity component), the invariants of V^{⊗k} are spanned by the
 * products of B^{-1} over the perfect matchings of the k axes, plus, for determinant-one
 * groups, the Levi-Civita tensor on d axes times the matchings of the rest. Dual axes are
 * lowered with B (the isomorphism V -> V*, x -> Bx). The spanning set is exact; it is made
 * orthonormal through the eigendecomposition of its small Gram matrix, with a gap check.
 */
export function brauerInvariants(form: InvariantForm, duals: readonly boolean[]): Matrix {
  return orthonormalSpan(brauerSpanningSet(form, duals), form.form.rows ** duals.length);
}

/** How many spanning tensors the closed form would produce (to decide whether to use it). */
export function brauerSpanningCount(d: number, k: number, special: boolean): number {
  let count = matchings(k);
  if (special && k >= d) count += binomial(k, d) * matchings(k - d);
  return count;
}

/** A sparse tensor of V^{⊗k}: sorted flat indices and their values. */
export interface SparseTensor {
  readonly index: Int32Array;
  readonly value: Float64Array;
}

/** One factor of a spanning tensor: a few axes and the nonzero entries over them. */
interface Component {
  readonly axes: readonly number[];
  readonly entries: readonly { readonly idx: readonly number[]; readonly value: number }[];
}

/**
 * The spanning tensors, sparse. Each is a product of components over disjoint axes (a pair:
 * B^{-1} with B applied on its dual axes; the Levi-Civita block, likewise lowered), so its
 * nonzeros are enumerated directly instead of scanning all d^k entries.
 */
export function brauerSpanningSet(form: InvariantForm, duals: readonly boolean[]): SparseTensor[] {
  const b = form.form;
  const d = b.rows;
  const k = duals.length;
  const binv = inverse(b);
  const pairComponent = (x: number, y: number): Component => {
    let m = binv;
    if (duals[x]) m = b.mul(m);
    if (duals[y]) m = m.mul(b.transpose());
    return { axes: [x, y], entries: nonzeros(m.data, [d, d]) };
  };
  const epsComponent = (axes: readonly number[]): Component => {
    let t = leviCivitaTensor(d);
    axes.forEach((axis, pos) => {
      if (duals[axis]) t = applyAlong(t, b, d, axes.length, pos);
    });
    return { axes, entries: nonzeros(t, Array(axes.length).fill(d)) };
  };
  const out: SparseTensor[] = [];
  const axes = Array.from({ length: k }, (_, i) => i);
  for (const m of perfectMatchings(axes)) {
    out.push(
      expand(
        m.map(([x, y]) => pairComponent(x, y)),
        d,
        k,
      ),
    );
  }
  if (form.special && form.kind === "orthogonal" && k >= d) {
    for (const eps of subsets(axes, d)) {
      const rest = axes.filter((a) => !eps.includes(a));
      const epsC = epsComponent(eps);
      for (const m of perfectMatchings(rest)) {
        out.push(expand([epsC, ...m.map(([x, y]) => pairComponent(x, y))], d, k));
      }
    }
  }
  return out;
}

/** The Cartesian product of components' nonzeros, as a sorted sparse tensor. */
function expand(components: readonly Component[], d: number, k: number): SparseTensor {
  const strides = Array.from({ length: k }, (_, a) => d ** (k - 1 - a));
  let idx = [0];
  let val = [1];
  for (const c of components) {
    const nextIdx: number[] = [];
    const nextVal: number[] = [];
    for (let i = 0; i < idx.length; i++) {
      for (const e of c.entries) {
        let off = idx[i]!;
        for (let j = 0; j < c.axes.length; j++) off += e.idx[j]! * strides[c.axes[j]!]!;
        nextIdx.push(off);
        nextVal.push(val[i]! * e.value);
      }
    }
    idx = nextIdx;
    val = nextVal;
  }
  const order = idx.map((_, i) => i).sort((a, b) => idx[a]! - idx[b]!);
  return {
    index: Int32Array.from(order, (i) => idx[i]!),
    value: Float64Array.from(order, (i) => val[i]!),
  };
}

function nonzeros(data: ArrayLike<number>, dims: readonly number[]) {
  const out: { idx: number[]; value: number }[] = [];
  for (let flat = 0; flat < data.length; flat++) {
    const v = data[flat]!;
    if (v === 0) continue;
    const idx = new Array<number>(dims.length);
    let r = flat;
    for (let a = dims.length - 1; a >= 0; a--) {
      idx[a] = r % dims[a]!;
      r = Math.floor(r / dims[a]!);
    }
    out.push({ idx, value: v });
  }
  return out;
}

/** The Levi-Civita tensor on d axes, dense (d^d entries). */
function leviCivitaTensor(d: number): Float64Array {
  const t = new Float64Array(d ** d);
  const idx = new Array<number>(d).fill(0);
  for (let flat = 0; flat < t.length; flat++) {
    t[flat] = leviCivita(idx);
    for (let a = d - 1; a >= 0; a--) {
      if (++idx[a]! < d) break;
      idx[a] = 0;
    }
  }
  return t;
}

/** Applies the matrix b along axis `pos` of a dense tensor with `rank` axes of size d. */
function applyAlong(
  t: Float64Array,
  b: Matrix,
  d: number,
  rank: number,
  pos: number,
): Float64Array {
  const next = new Float64Array(t.length);
  const inner = d ** (rank - pos - 1);
  const outer = t.length / (inner * d);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < d; i++) {
      for (let j = 0; j < d; j++) {
        const bij = b.data[i * d + j]!;
        if (bij === 0) continue;
        const src = (o * d + j) * inner;
        const dst = (o * d + i) * inner;
        for (let r = 0; r < inner; r++) next[dst + r]! += bij * t[src + r]!;
      }
    }
  }
  return next;
}

/**
 * An orthonormal basis (n x r) of the span of sparse tensors, through their m x m Gram matrix
 * (accumulated over shared nonzeros) and its eigendecomposition, with a gap check.
 */
function orthonormalSpan(s: readonly SparseTensor[], n: number): Matrix {
  const m = s.length;
  if (m === 0) return new Matrix(n, 0);
  // Gram matrix from (index, tensor, value) triples sorted by index.
  const triples: [number, number, number][] = [];
  s.forEach((t, i) => {
    t.index.forEach((ix, j) => {
      triples.push([ix, i, t.value[j]!]);
    });
  });
  triples.sort((a, b) => a[0] - b[0]);
  const gram = new Matrix(m, m);
  for (let lo = 0; lo < triples.length; ) {
    let hi = lo;
    while (hi < triples.length && triples[hi]![0] === triples[lo]![0]) hi++;
    for (let p = lo; p < hi; p++) {
      for (let q = lo; q < hi; q++) {
        gram.data[triples[p]![1] * m + triples[q]![1]]! += triples[p]![2] * triples[q]![2];
      }
    }
    lo = hi;
  }
  const { values, vectors } = symmetricEigen(gram);
  const top = Math.max(values[m - 1]!, 0);
  const tol = top * 1e-9;
  let r = 0;
  for (let i = 0; i < m; i++) if (values[i]! > tol) r++;
  // Exact spanning sets give a clean split: zero up to rounding, then order-one eigenvalues.
  const lastZero = m - r - 1 >= 0 ? Math.abs(values[m - r - 1]!) : 0;
  const smallest = r > 0 ? values[m - r]! : top;
  if (r > 0 && lastZero > 0 && smallest / lastZero < 1e4) {
    throw new ConvergenceError(
      `The closed-form invariants show no clear rank gap (eigenvalues ${lastZero.toExponential(2)} and ` +
        `${smallest.toExponential(2)}); refusing to guess a dimension.`,
    );
  }
  const out = new Matrix(n, r);
  for (let c = 0; c < r; c++) {
    const col = m - r + c;
    const scale = 1 / Math.sqrt(values[col]!);
    for (let i = 0; i < m; i++) {
      const u = vectors.data[i * m + col]! * scale;
      if (u === 0) continue;
      const t = s[i]!;
      for (let j = 0; j < t.index.length; j++) out.data[t.index[j]! * r + c]! += u * t.value[j]!;
    }
  }
  return out;
}

function* perfectMatchings(axes: readonly number[]): Generator<[number, number][]> {
  if (axes.length === 0) {
    yield [];
    return;
  }
  if (axes.length % 2 === 1) return;
  const [first, ...rest] = axes;
  for (let i = 0; i < rest.length; i++) {
    const partner = rest[i]!;
    const others = rest.filter((_, j) => j !== i);
    for (const m of perfectMatchings(others)) yield [[first!, partner], ...m];
  }
}

function* subsets(axes: readonly number[], size: number, start = 0): Generator<number[]> {
  if (size === 0) {
    yield [];
    return;
  }
  for (let i = start; i <= axes.length - size; i++) {
    for (const s of subsets(axes, size - 1, i + 1)) yield [axes[i]!, ...s];
  }
}

/** The sign of a permutation given as a list of indices, 0 if an index repeats. */
function leviCivita(idx: readonly number[]): number {
  let sign = 1;
  for (let i = 0; i < idx.length; i++) {
    for (let j = i + 1; j < idx.length; j++) {
      if (idx[i] === idx[j]) return 0;
      if (idx[i]! > idx[j]!) sign = -sign;
    }
  }
  return sign;
}

function matchings(k: number): number {
  if (k % 2 === 1) return 0;
  let c = 1;
  for (let i = k - 1; i > 1; i -= 2) c *= i;
  return c;
}

function binomial(n: number, r: number): number {
  let c = 1;
  for (let i = 0; i < r; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}
