import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The native addon's interface (native/addon.cc). */
export interface NativeAddon {
  /**
   * Row-major batched SGEMM: for each bi < aOffsets.length,
   * c[bi*M*N ...] = op(a[aOffsets[bi] ...]) (M x K) * op(b[bOffsets[bi] ...]) (K x N).
   * `bundled` forces the bundled kernel even when built with OpenBLAS.
   */
  batchMatMul(
    a: Float32Array,
    b: Float32Array,
    c: Float32Array,
    m: number,
    n: number,
    k: number,
    transposeA: boolean,
    transposeB: boolean,
    aOffsets: Uint32Array,
    bOffsets: Uint32Array,
    bundled: boolean,
  ): void;
  /** Threads for OpenBLAS and for the addon's own loops (its kernels and the bundled SGEMM). */
  setThreads(n: number): void;
  /**
   * out = a (op) b with NumPy broadcasting; op 0 add, 1 sub, 2 mul, 3 div (float32 only).
   * a, b and out are all Float32Array or all Int32Array; out is sized to the broadcast shape.
   */
  binary(
    op: number,
    a: Float32Array | Int32Array,
    aShape: readonly number[],
    b: Float32Array | Int32Array,
    bShape: readonly number[],
    out: Float32Array | Int32Array,
  ): void;
  /** out = 1 / (1 + exp(-x)). */
  sigmoid(x: Float32Array, out: Float32Array): void;
  /**
   * One Adam step (core's ADAM_UPDATE_KERNEL): w, g, m, v in, w', m', v' out, all of one length;
   * coefficients [beta1, beta2, epsilon, learningRate, c1, c2].
   */
  adamUpdate(
    w: Float32Array,
    g: Float32Array,
    m: Float32Array,
    v: Float32Array,
    wOut: Float32Array,
    mOut: Float32Array,
    vOut: Float32Array,
    coefficients: readonly number[],
  ): void;
  /** out = sum of the inputs (all of out's type and length), in order. */
  addN(inputs: readonly (Float32Array | Int32Array)[], out: Float32Array | Int32Array): void;
  /** out = x summed over `axes` (distinct, in range); out has x's type. */
  sum(
    x: Float32Array | Int32Array,
    shape: readonly number[],
    axes: readonly number[],
    out: Float32Array | Int32Array,
  ): void;
  /**
   * Adds each slice of `updates` into the zeroed `out` at the row its index selects (`strides`:
   * row stride of each index component, in slices). Returns -1, or the first out-of-range
   * update (out then untouched).
   */
  scatterNd(
    indices: Int32Array,
    updates: Float32Array | Int32Array,
    out: Float32Array | Int32Array,
    sliceRank: number,
    sliceSize: number,
    strides: readonly number[],
  ): number;
  /** out = x padded by `paddings` ([before0, after0, before1, ...]) with `constant`. */
  padV2(
    x: Float32Array | Int32Array,
    shape: readonly number[],
    paddings: readonly number[],
    constant: number,
    out: Float32Array | Int32Array,
  ): void;
  /** out = x with output dimension i being input dimension perm[i]. */
  transpose(
    x: Float32Array | Int32Array,
    shape: readonly number[],
    perm: readonly number[],
    out: Float32Array | Int32Array,
  ): void;
  /**
   * The addon's checked copy of a bilinear plan (an External): meta [inputSize, outputSize, then
   * per pair so, si, cO, cI, n, 1 for "zx" else 0], idx the pairs' z, x, out maps concatenated,
   * gains per pair. Throws on an index out of range.
   */
  bilinearPlan(meta: Int32Array, idx: Int32Array, gains: Float32Array, residual?: boolean): unknown;
  /**
   * y [batch, outputSize] = the bilinear layer of `plan` at x (core's BILINEAR_KERNEL), each pair
   * contracted in the order the addon finds cheaper, or in the plan's with `planOrder`.
   */
  bilinear(
    plan: unknown,
    x: Float32Array,
    batch: number,
    thetas: readonly Float32Array[],
    y: Float32Array,
    bundled: boolean,
    planOrder: boolean,
    /**
     * x [inputSize, batch] and y [outputSize, batch] instead (core's `featureMajor`); with a
     * batch that is a multiple of 8, y is written in place); y's contents on entry do not matter.
     */
    featureMajor?: boolean,
  ): void;
  /** dx and every dthetas[k] (overwritten) of the bilinear layer for the output gradient dy. */
  bilinearGrad(
    plan: unknown,
    dy: Float32Array,
    x: Float32Array,
    batch: number,
    thetas: readonly Float32Array[],
    dx: Float32Array,
    dthetas: readonly Float32Array[],
    bundled: boolean,
    planOrder: boolean,
    /** dy, x and dx feature-major (dx then written in place, as y above). */
    featureMajor?: boolean,
  ): void;
  /**
   * The addon's checked copy of a linear plan (an External): meta [inputSize, outputSize, then
   * per pair so, si, r, mo, mi], idx the pairs' out and in maps concatenated, bases the pairs'
   * basisT concatenated. Throws on an index out of range.
   */
  linearPlan(meta: Int32Array, idx: Int32Array, bases: Float32Array): unknown;
  /**
   * y [batch, outputSize] = the equivariant linear map of `plan` at x (core's LINEAR_KERNEL),
   * each pair in the order the addon finds cheapest (order 0), or every pair basis first (1),
   * coefficients first (2) or dense (3).
   */
  linear(
    plan: unknown,
    x: Float32Array,
    batch: number,
    coeffs: readonly Float32Array[],
    y: Float32Array,
    order: number,
    /** Added to every row of y (outputSize values). */
    bias?: Float32Array | null,
    /**
     * x [inputSize, batch] and y [outputSize, batch] instead (core's `featureMajor`); with a
     * batch that is a multiple of 8, y is written in place); y's contents on entry do not matter.
     */
    featureMajor?: boolean,
  ): void;
  /** dx and every dcoeffs[k] (overwritten) of `linear` for the output gradient dy. */
  linearGrad(
    plan: unknown,
    dy: Float32Array,
    x: Float32Array,
    batch: number,
    coeffs: readonly Float32Array[],
    dx: Float32Array,
    dcoeffs: readonly Float32Array[],
    order: number,
    /** Overwritten with the bias's gradient, dy summed over the batch (outputSize values). */
    dbias?: Float32Array | null,
    /** dy, x and dx feature-major (dx then written in place, as y above). */
    featureMajor?: boolean,
  ): void;
  /**
   * w (zeroed first) gets, per pair k with meta [rows, rank, blockSize] at 3k, the block entries
   * c[k] (rows x rank) . basisT[k] (rank x blockSize) at the positions index[k] (core's
   * ASSEMBLE_KERNEL).
   */
  assemble(
    meta: Int32Array,
    basisT: readonly Float32Array[],
    index: readonly Int32Array[],
    c: readonly Float32Array[],
    w: Float32Array,
  ): void;
  /** dc[k] (overwritten) = the gradient of `assemble` for the upstream gradient dw. */
  assembleGrad(
    meta: Int32Array,
    basisT: readonly Float32Array[],
    index: readonly Int32Array[],
    dc: readonly Float32Array[],
    dw: Float32Array,
  ): void;
  /**
   * y [batch, gate.length] = x[:, i] * sigmoid(x[:, gate[i]]) (core's GATE_KERNEL); with
   * featureMajor, x and y are [features, batch].
   */
  gate(
    x: Float32Array,
    batch: number,
    gate: Int32Array,
    y: Float32Array,
    featureMajor?: boolean,
  ): void;
  /** dx [batch, x's columns] of `gate` for the upstream gradient dy [batch, gate.length]. */
  gateGrad(
    dy: Float32Array,
    x: Float32Array,
    batch: number,
    gate: Int32Array,
    dx: Float32Array,
    featureMajor?: boolean,
  ): void;
  info(): NativeInfo;
}

export interface NativeInfo {
  /** What the addon was built with: OpenBLAS, or the bundled SGEMM only. */
  readonly blas: "openblas" | "bundled";
  readonly blasConfig?: string;
  readonly blasThreads?: number;
  readonly threads: number;
  /** The instruction set the bundled kernel dispatches to: "avx2+fma" or "baseline". */
  readonly bundledIsa: string;
  /**
   * "reuse": the addon raised glibc's mmap and trim thresholds at load, so that freed tensor
   * buffers serve the next tensors instead of fresh pages; "system": glibc's defaults (another
   * C library, or `ISOTROPY_NODE_MALLOC=system`).
   */
  readonly malloc: "reuse" | "system";
}

export type AddonState =
  | { readonly ok: true; readonly addon: NativeAddon; readonly path: string }
  | { readonly ok: false; readonly reason: string };

/** The package root (one level above src/ and dist/). */
export const PACKAGE_ROOT = fileURLToPath(new URL("..", import.meta.url));
const ADDON = join("build", "Release", "isotropy_backend_node.node");
const ERROR_FILE = join("build", "addon-error.txt");

const cache = new Map<string, AddonState>();

/**
 * Loads the addon built at install (`<root>/build/Release/isotropy_backend_node.node`). When it
 * is missing, the reason is the build error the install script recorded in
 * `<root>/build/addon-error.txt`, or the loader's error. Never throws.
 */
export function loadAddon(root: string = PACKAGE_ROOT): AddonState {
  const hit = cache.get(root);
  if (hit) return hit;
  const state = tryLoad(root);
  cache.set(root, state);
  return state;
}

function tryLoad(root: string): AddonState {
  const path = join(root, ADDON);
  const errorFile = join(root, ERROR_FILE);
  const recorded = existsSync(errorFile) ? readFileSync(errorFile, "utf8").trim() : "";
  if (!existsSync(path)) {
    return {
      ok: false,
      reason: recorded
        ? `native addon did not build: ${recorded}`
        : `native addon not built (${path} is missing; run \`pnpm run build:native\` in @isotropy/backend-node)`,
    };
  }
  try {
    const addon = createRequire(import.meta.url)(path) as NativeAddon;
    return { ok: true, addon, path };
  } catch (e) {
    return {
      ok: false,
      reason: `native addon does not load: ${e instanceof Error ? e.message : String(e)}`,
    };
  }
}

/** Threads from `ISOTROPY_NODE_THREADS`, when set to a positive integer. */
export function envThreads(): number | undefined {
  const n = Number(process.env.ISOTROPY_NODE_THREADS);
  return Number.isInteger(n) && n >= 1 ? n : undefined;
}
