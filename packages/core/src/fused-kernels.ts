/**
 * Fused kernels: a backend may register a kernel under one of these names to run a whole layer
 * at once; layers dispatch to it when the active backend has it and fall back to their
 * composite of standard tfjs ops otherwise. The names and plans live here, below both layers
 * and backends, so that neither depends on the other.
 *
 * The layer kernels (bilinear, gate, linear and their gradients) also take an optional boolean
 * attr `featureMajor` (see `FeatureMajorAttrs`).
 */

/**
 * The optional attr of the layer kernels (BILINEAR_KERNEL, GATE_KERNEL, LINEAR_KERNEL and their
 * gradients). With `featureMajor: true` every activation (x, y, dy, dx) is feature-major,
 * [features, batch], instead of [batch, features]: the same values, transposed. A stack of
 * fused layers can then run in that layout from end to end, and a backend that works on
 * transposed activations internally skips its transposes. A backend that registers one of
 * these kernels honours the attr.
 */
export interface FeatureMajorAttrs {
  readonly featureMajor?: boolean;
}

/**
 * A batch size that is a multiple of this lets a backend read and write feature-major
 * activations in place (the node backend's rows are whole 8-float vectors); other sizes cost it
 * a copy per activation. A stack can pad its batch with zero samples to get there.
 */
export const FEATURE_MAJOR_BATCH_MULTIPLE = 8;

/**
 * emlp's bilinear layer in one kernel. Inputs `{x, theta0, ..., theta(P-1)}` (x [batch,
 * inputSize], thetaK [cO, cI, n] of pair K), attrs `{plan: BiLinearPlan}`; output y [batch,
 * outputSize]:
 *
 *   y[s, out[a*cO + o]] += gain * Σ_{c, m} θ[o, c, m] Σ_b x[s, z[(a*si + b)*n + m]] x[s, x[b*cI + c]]
 *
 * summed over pairs (several pairs may write one column; columns no pair writes are 0). With
 * `plan.residual` (inputSize = outputSize), y starts from x instead of 0: y = W(x) x + x, the
 * residual connection of an EMLP block, and the gradient's dx then includes dy.
 */
export const BILINEAR_KERNEL = "IsotropyBiLinear";

/**
 * The gradient of `BILINEAR_KERNEL`: inputs `{dy, x, theta0, ...}`, attrs `{plan}`; outputs
 * `[dx, dtheta0, ..., dtheta(P-1)]`, shaped like x and the thetas.
 */
export const BILINEAR_GRAD_KERNEL = "IsotropyBiLinearGrad";

/** One (out type, in type) pair of a bilinear plan; index arrays address columns of x and y. */
export interface BiLinearPlanPair {
  /** Size of the out type, of the in type; copies of each; number of Z copies. */
  readonly so: number;
  readonly si: number;
  readonly cO: number;
  readonly cI: number;
  readonly n: number;
  /** The cheaper contraction order: Z with x first ("zx") or x with θ first ("wx"). */
  readonly order: "zx" | "wx";
  readonly gain: number;
  /** Column of x holding Z_m[a, b], at (a * si + b) * n + m; length so * si * n. */
  readonly z: Int32Array;
  /** Column of x holding in copy c's component b, at b * cI + c; length si * cI. */
  readonly x: Int32Array;
  /** Column of y receiving out copy o's component a, at a * cO + o; length so * cO. */
  readonly out: Int32Array;
}

export interface BiLinearPlan {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly pairs: readonly BiLinearPlanPair[];
  /** Add the input to the output (y = W(x) x + x); needs inputSize = outputSize. */
  readonly residual?: boolean;
}

/**
 * emlp's gated nonlinearity in one kernel. Input `{x}` (x [batch, inputSize]), attrs
 * `{plan: GatePlan}`; output y [batch, plan.gate.length]:
 *
 *   y[s, i] = x[s, i] · sigmoid(x[s, gate[i]])
 *
 * (gate[i] = i is Swish; a gated leaf's coordinates all point at its gate scalar's column).
 */
export const GATE_KERNEL = "IsotropyGate";

/** The gradient of `GATE_KERNEL`: inputs `{dy, x}`, attrs `{plan}`; output dx, shaped like x. */
export const GATE_GRAD_KERNEL = "IsotropyGateGrad";

export interface GatePlan {
  readonly inputSize: number;
  /** For each output column i, the column of x whose sigmoid multiplies x[:, i]. */
  readonly gate: Int32Array;
}

/**
 * Assembly of a dense map from equivariant-basis coefficients in one kernel. Inputs
 * `{c0, ..., c(P-1)}` (cK [rows, rank] of pair K), attrs `{plan: AssemblyPlan}`; output w
 * [plan.size]:
 *
 *   w[index[row * blockSize + e]] = Σ_j c[row, j] · basisT[j * blockSize + e]
 *
 * for every pair, row and block entry e; entries no pair writes are 0 (each is written at most
 * once).
 */
export const ASSEMBLE_KERNEL = "IsotropyAssemble";

/** The gradient of `ASSEMBLE_KERNEL`: inputs `{dw}`, attrs `{plan}`; outputs `[dc0, ...]`. */
export const ASSEMBLE_GRAD_KERNEL = "IsotropyAssembleGrad";

/** One block pair of an assembly plan: `rows` copies of a block of `blockSize` entries. */
export interface AssemblyPlanPair {
  readonly rows: number;
  readonly rank: number;
  readonly blockSize: number;
  /** The basis, one row of blockSize entries per basis vector: [rank * blockSize]. */
  readonly basisT: Float32Array;
  /** Where each block entry goes in w: [rows * blockSize], distinct over the whole plan. */
  readonly index: Int32Array;
}

export interface AssemblyPlan {
  readonly size: number;
  readonly pairs: readonly AssemblyPlanPair[];
}

/**
 * An equivariant linear map applied from its basis coefficients, without forming the dense
 * weight. Inputs `{x, c0, ..., c(P-1)}` (x [batch, inputSize], cK [outCopies * inCopies, rank]
 * of pair K, the coefficient layout of `AssemblyPlan`), attrs `{plan: LinearPlan}`; output y
 * [batch, outputSize]:
 *
 *   y[s, out[o*so + a]] += Σ_{i, j, b} c[o*mi + i, j] · basisT[(j*so + a)*si + b] · x[s, in[i*si + b]]
 *
 * summed over pairs (columns no pair writes are 0). Per pair the work is copies x (basis
 * nonzeros + copies x rank x leaf size), against copies^2 x leaf size^2 for x W^T. An optional
 * input `bias` [outputSize] is added to every row (y starts from it instead of 0).
 */
export const LINEAR_KERNEL = "IsotropyEquivariantLinear";

/**
 * The gradient of `LINEAR_KERNEL`: inputs `{dy, x, c0, ..., bias?}`, attrs `{plan}`; outputs
 * `[dx, dc0, ..., dc(P-1)]`, shaped like x and the coefficients, then `dbias` (dy summed over
 * the batch) when `bias` is given.
 */
export const LINEAR_GRAD_KERNEL = "IsotropyEquivariantLinearGrad";

/** One block pair of a linear plan: `outCopies` x `inCopies` blocks sharing one basis. */
export interface LinearPlanPair {
  /** The out leaf's size (so), the in leaf's (si), the basis rank (r). */
  readonly outSize: number;
  readonly inSize: number;
  readonly rank: number;
  readonly outCopies: number;
  readonly inCopies: number;
  /** B_j[a, b] at (j * outSize + a) * inSize + b: [rank * outSize * inSize]. */
  readonly basisT: Float32Array;
  /** Column of y receiving out copy o's component a, at o * outSize + a. */
  readonly out: Int32Array;
  /** Column of x holding in copy i's component b, at i * inSize + b. */
  readonly in: Int32Array;
}

export interface LinearPlan {
  readonly inputSize: number;
  readonly outputSize: number;
  readonly pairs: readonly LinearPlanPair[];
}
