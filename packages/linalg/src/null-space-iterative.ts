import { ConvergenceError, InvalidArgumentError, LimitExceededError, Rng } from "@isotropy/core";
import { lanczosProbe, type SpectrumProbe } from "./lanczos-probe.js";
import { Matrix } from "./matrix.js";
import { DEFAULT_RANK_TOLERANCE } from "./null-space.js";
import type { LinearOperator } from "./operator.js";
import { rmatmatOf } from "./operators/base.js";
import {
  type BlockApply,
  chebyshevDamping,
  chebyshevDegree,
  chebyshevFilter,
  lejaOrder,
  productDamping,
  productFilter,
} from "./polynomial-filter.js";
import { qr } from "./qr.js";
import { checkTolerance, decideNullity } from "./rank-gap.js";
import { symmetricEigen } from "./symmetric-eigen.js";

export interface NullSpaceIterativeOptions {
  /** Every returned x has ||C x|| <= tol ||C|| (||x|| = 1). Default 1e-8, as nullSpace's rtol. */
  tol?: number;
  /** Smallest nonzero over largest zero singular value required. Default 1e3. */
  gapRatio?: number;
  /** Random start vectors. Default new Rng(0): the result is reproducible. */
  rng?: Rng;
  /** First block size; the block doubles while it lies entirely in the null space. Default 16. */
  initialBlock?: number;
  /** Largest null-space dimension accepted; beyond it LimitExceededError. Default n. */
  maxDim?: number;
  /** Filter passes per block before ConvergenceError. Default 60. */
  maxIterations?: number;
}

/** Ritz values below this fraction of lambda_max(C^T C) (sigma < 1e-2 ||C||) are watched. */
const CANDIDATE = 1e-4;
/** Lanczos steps of the spectrum probe. */
const PROBE_STEPS = 60;

/**
 * An orthonormal basis (n x r) of the null space of a constraint operator C (m x n), using only
 * products with C and C^T: for operators too large to form, such as stacked Kronecker sums.
 *
 * Null spaces of equivariance constraints are highly degenerate (eigenvalue 0 of M = C^T C with
 * multiplicity up to hundreds), which single-vector Lanczos cannot resolve. This is polynomial-
 * filtered block subspace iteration on M with locking:
 *
 * 1. A 60-step Lanczos probe from one random vector bounds lambda_max(M). When its Krylov space
 *    becomes invariant (M has few distinct eigenvalues, as for compact groups, where they are
 *    Casimir values) its nonzero Ritz values are all the nonzero eigenvalues, and the filter is
 *    prod (I - M / theta_i): one pass projects onto the null space. Otherwise (or if that pass
 *    does not converge) the filter is a Chebyshev polynomial damping [a, lambda_max], with a the
 *    largest Ritz value of the block (CheFSI, Zhou & Saad 2007).
 * 2. A random block X, orthogonal to the vectors locked so far, is filtered, orthonormalised and
 *    Rayleigh-Ritz projected until every Ritz vector is settled: null (||C x|| <= tol ||C||), or
 *    a converged nonzero pair, or far from zero. If every block vector is null, they are locked
 *    and the block doubles (as emlp does); otherwise the block was larger than what remained of
 *    the null space and the search ends.
 * 3. Verification: ||C x|| / ||C|| is computed directly for every returned vector, and the
 *    singular values must show the same gap as in nullSpace (smallest nonzero >= gapRatio x
 *    largest zero), else ConvergenceError.
 */
export function nullSpaceIterative(
  c: LinearOperator,
  opts: NullSpaceIterativeOptions = {},
): Matrix {
  const n = c.cols;
  const tol = opts.tol ?? DEFAULT_RANK_TOLERANCE.rtol;
  const gapRatio = opts.gapRatio ?? DEFAULT_RANK_TOLERANCE.gapRatio;
  checkTolerance("nullSpaceIterative", { rtol: tol, gapRatio });
  const rng = opts.rng ?? new Rng(0);
  const maxDim = opts.maxDim ?? n;
  const maxIterations = opts.maxIterations ?? 60;
  const initialBlock = opts.initialBlock ?? 16;
  for (const [name, v] of [
    ["initialBlock", initialBlock],
    ["maxDim", maxDim],
    ["maxIterations", maxIterations],
  ] as const) {
    if (!Number.isInteger(v) || v < (name === "maxDim" ? 0 : 1)) {
      throw new InvalidArgumentError(
        `nullSpaceIterative: ${name} must be a positive integer, got ${v}.`,
      );
    }
  }
  if (n === 0) return new Matrix(0, 0);

  const applyM: BlockApply = (x) => rmatmatOf(c, c.matmat(x));
  const probe =
    c.rows === 0
      ? null
      : lanczosProbe((x) => c.rmatvec(c.matvec(x)), n, PROBE_STEPS, rng.fork("probe"));
  if (!probe || probe.upper === 0) {
    if (n > maxDim) throw tooLarge(n, maxDim);
    return Matrix.identity(n);
  }

  const solver = new BlockSolver(c, applyM, probe, tol, maxIterations);
  let locked = new Matrix(n, 0);
  const zeroSigmas: number[] = [];
  let block = initialBlock;
  for (;;) {
    const r = locked.cols;
    if (r === n) break;
    const b = Math.max(1, Math.min(block, n - r, maxDim - r + 1));
    const round = solver.run(locked, b, rng.fork(`block ${r}`));
    locked = appendColumns(locked, round.nullVectors);
    zeroSigmas.push(...round.nullSigmas);
    if (locked.cols > maxDim) throw tooLarge(locked.cols, maxDim);
    if (round.nullVectors.cols < b) {
      const sigmas = Float64Array.from([...zeroSigmas, ...round.otherSigmas]).sort();
      decideNullity("nullSpaceIterative", sigmas, { rtol: tol, gapRatio });
      break;
    }
    block = 2 * b;
  }
  return locked;
}

interface BlockResult {
  nullVectors: Matrix;
  /** ||C x|| / ||C|| of each null vector. */
  nullSigmas: number[];
  /** The same for the block's other Ritz vectors (upper bounds of what remains). */
  otherSigmas: number[];
}

/** Filtered subspace iteration for one block, deflated against the locked vectors. */
class BlockSolver {
  private readonly normC: number;
  private readonly roots: Float64Array | null;
  private readonly rootDamping: number;
  /** A first lower end of the damped interval: the smallest clearly nonzero Ritz value. */
  private readonly aProbe: number;

  constructor(
    private readonly c: LinearOperator,
    private readonly applyM: BlockApply,
    private readonly probe: SpectrumProbe,
    private readonly tol: number,
    private readonly maxIterations: number,
  ) {
    const up = probe.upper;
    this.normC = Math.sqrt(up);
    const nonzero = Array.from(probe.ritz.keys()).filter((i) => probe.ritz[i]! > CANDIDATE * up);
    this.aProbe = nonzero.length > 0 ? probe.ritz[nonzero[0]!]! : up / 2;
    if (probe.invariant && nonzero.length > 0) {
      const roots = Float64Array.from(nonzero, (i) => probe.ritz[i]!);
      const residuals = Float64Array.from(nonzero, (i) => probe.residuals[i]!);
      this.rootDamping = productDamping(roots, residuals, up);
      this.roots = this.rootDamping < 1e-2 ? lejaOrder(roots) : null;
    } else {
      this.roots = null;
      this.rootDamping = 1;
    }
  }

  run(locked: Matrix, b: number, rng: Rng): BlockResult {
    const n = locked.rows;
    const up = this.probe.upper;
    let x = orthonormalize(new Matrix(n, b, rng.normals(n * b)), locked);
    let amplification = 1; // of null directions over the damped part of the spectrum
    let a = this.aProbe;
    let useProduct = this.roots !== null;
    let lastNullWorst = Infinity;
    for (let pass = 1; pass <= this.maxIterations; pass++) {
      if (useProduct) {
        x = productFilter(this.applyM, x, this.roots!);
        amplification /= this.rootDamping;
      } else {
        const m = chebyshevDegree(a, up, 1e-4, 8, 80);
        x = chebyshevFilter(this.applyM, x, m, a, up);
        amplification /= chebyshevDamping(m, a, up);
      }
      x = orthonormalize(x, locked);
      const rr = this.rayleighRitz(x);
      x = rr.x;

      const nullIdx: number[] = [];
      const otherIdx: number[] = [];
      let unsettled = 0;
      let nullWorst = 0;
      for (let i = 0; i < b; i++) {
        const theta = rr.theta[i]!;
        if (rr.sigma[i]! <= this.tol) {
          nullIdx.push(i);
          continue;
        }
        otherIdx.push(i);
        // A candidate is settled as nonzero once its Ritz pair has converged to its own size.
        if (theta <= CANDIDATE * up && !(rr.residual[i]! <= 1e-2 * theta)) {
          unsettled++;
          nullWorst = Math.max(nullWorst, rr.sigma[i]!);
        }
      }
      const full = nullIdx.length === b;
      if (full || (unsettled === 0 && amplification >= 1 / this.tol)) {
        return {
          nullVectors: pickColumns(x, nullIdx),
          nullSigmas: nullIdx.map((i) => rr.sigma[i]!),
          otherSigmas: otherIdx.map((i) => rr.sigma[i]!),
        };
      }
      // The product filter is exact only if the probe saw the whole spectrum; if a pass does not
      // improve the unsettled vectors, fall back to Chebyshev.
      if (useProduct && !(nullWorst < 1e-3 * lastNullWorst)) useProduct = false;
      lastNullWorst = nullWorst;
      const thetaMax = rr.theta[b - 1]!;
      a = thetaMax > CANDIDATE * up ? Math.min(thetaMax, 0.9 * up) : this.aProbe;
    }
    throw new ConvergenceError(
      `nullSpaceIterative: the block of ${b} vectors did not settle in ${this.maxIterations} ` +
        `filter passes (tol ${this.tol}); some Ritz values lie too close to zero to tell from it. ` +
        `Use the dense nullSpace, a looser tol, or more iterations.`,
    );
  }

  /** Ritz pairs of M on span(x) (x orthonormal), with ||C x_i|| / ||C|| and residual norms. */
  private rayleighRitz(x: Matrix): {
    x: Matrix;
    theta: Float64Array;
    sigma: Float64Array;
    residual: Float64Array;
  } {
    const b = x.cols;
    const up = this.probe.upper;
    const mx = this.applyM(x);
    const h = transposeTimes(x, mx);
    for (let i = 0; i < b; i++) {
      for (let j = 0; j < i; j++) {
        const s = 0.5 * (h.data[i * b + j]! + h.data[j * b + i]!);
        h.data[i * b + j] = s;
        h.data[j * b + i] = s;
      }
    }
    const { values: theta, vectors: v } = symmetricEigen(h);
    const xr = x.mul(v);
    const sigma = new Float64Array(b);
    const residual = new Float64Array(b).fill(Number.NaN);
    const cand: number[] = [];
    for (let j = 0; j < b; j++) {
      if (theta[j]! <= CANDIDATE * up) cand.push(j);
      else sigma[j] = Math.sqrt(theta[j]!) / this.normC;
    }
    if (cand.length === 0) return { x: xr, theta, sigma, residual };
    // Small singular values straight from C: sqrt(theta) has only sqrt(eps) accuracy there.
    const norms = columnNorms(this.c.matmat(pickColumns(xr, cand)));
    cand.forEach((j, k) => {
      sigma[j] = norms[k]! / this.normC;
    });
    // Residuals ||M x - theta x|| only where they decide something: small but not null.
    const open = cand.filter((j) => sigma[j]! > this.tol);
    if (open.length > 0) {
      const mxr = mx.mul(pickColumns(v, open));
      const k = open.length;
      open.forEach((j, t) => {
        let s = 0;
        for (let i = 0; i < x.rows; i++) {
          const d = mxr.data[i * k + t]! - theta[j]! * xr.data[i * b + j]!;
          s += d * d;
        }
        residual[j] = Math.sqrt(s);
      });
    }
    return { x: xr, theta, sigma, residual };
  }
}

/** An orthonormal basis of span(y) projected away from the (orthonormal) columns of locked. */
function orthonormalize(y: Matrix, locked: Matrix): Matrix {
  // Householder QR alone is orthonormal to rounding; with locked vectors a second pass also
  // removes what rounding (or a rank-deficient y) left along them.
  let z = qr(project(y, locked)).q;
  if (locked.cols > 0) z = qr(project(z, locked)).q;
  return z;
}

/** y - L (L^T y), twice-safe when called twice. */
function project(y: Matrix, l: Matrix): Matrix {
  if (l.cols === 0) return y;
  const coeff = transposeTimes(l, y);
  return y.sub(l.mul(coeff));
}

/** a^T b for row-major a (n x p) and b (n x q): four rows at a time, each output row in cache. */
function transposeTimes(a: Matrix, b: Matrix): Matrix {
  const p = a.cols;
  const q = b.cols;
  const out = new Matrix(p, q);
  const o = out.data;
  const ad = a.data;
  const bd = b.data;
  let i = 0;
  for (; i + 4 <= a.rows; i += 4) {
    const b0 = i * q;
    const b1 = b0 + q;
    const b2 = b1 + q;
    const b3 = b2 + q;
    for (let s = 0; s < p; s++) {
      const v0 = ad[i * p + s]!;
      const v1 = ad[(i + 1) * p + s]!;
      const v2 = ad[(i + 2) * p + s]!;
      const v3 = ad[(i + 3) * p + s]!;
      const orow = s * q;
      for (let t = 0; t < q; t++) {
        o[orow + t]! += v0 * bd[b0 + t]! + v1 * bd[b1 + t]! + v2 * bd[b2 + t]! + v3 * bd[b3 + t]!;
      }
    }
  }
  for (; i < a.rows; i++) {
    const br = i * q;
    for (let s = 0; s < p; s++) {
      const v = ad[i * p + s]!;
      const orow = s * q;
      for (let t = 0; t < q; t++) o[orow + t]! += v * bd[br + t]!;
    }
  }
  return out;
}

function pickColumns(a: Matrix, idx: readonly number[]): Matrix {
  const k = idx.length;
  const out = new Matrix(a.rows, k);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < k; j++) out.data[i * k + j] = a.data[i * a.cols + idx[j]!]!;
  }
  return out;
}

function appendColumns(a: Matrix, b: Matrix): Matrix {
  if (b.cols === 0) return a;
  const k = a.cols + b.cols;
  const out = new Matrix(a.rows, k);
  for (let i = 0; i < a.rows; i++) {
    out.data.set(a.data.subarray(i * a.cols, (i + 1) * a.cols), i * k);
    out.data.set(b.data.subarray(i * b.cols, (i + 1) * b.cols), i * k + a.cols);
  }
  return out;
}

function columnNorms(b: Matrix): Float64Array {
  const s = new Float64Array(b.cols);
  for (let i = 0; i < b.rows; i++) {
    for (let j = 0; j < b.cols; j++) s[j]! += b.data[i * b.cols + j]! ** 2;
  }
  return s.map(Math.sqrt);
}

function tooLarge(dim: number, maxDim: number): LimitExceededError {
  return new LimitExceededError(
    `nullSpaceIterative: the null space has dimension at least ${dim}, above maxDim = ${maxDim}. ` +
      `Pass a larger maxDim if a basis that large is wanted.`,
  );
}
