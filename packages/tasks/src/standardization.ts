import type { Batch } from "./checks.js";
import { checkShape } from "./checks.js";
import type { Standardization } from "./task.js";

// Statistics of a row-major pool `x` (n x dim). Every scale is one number per rep block, so that
// dividing by it commutes with the group action; a zero scale (constant data) is replaced by 1.

/** sqrt(mean over samples and the block's coordinates of x^2): one vector block's scale. */
export function rmsScale(x: Batch, n: number, dim: number, offset: number, size: number): number {
  let s = 0;
  for (let r = 0; r < n; r++) {
    const base = r * dim + offset;
    for (let c = 0; c < size; c++) {
      const v = x[base + c] as number;
      s += v * v;
    }
  }
  return nonZero(Math.sqrt(s / (n * size)));
}

/**
 * sqrt(mean over samples of mean over components of |(x eta) ⊙ x|) for a block with the diagonal
 * metric `metric` (emlp's particle-interaction scale). Since |eta_c| = 1 this equals `rmsScale`,
 * but it is computed as defined.
 */
export function metricScale(
  x: Batch,
  n: number,
  dim: number,
  offset: number,
  metric: readonly number[],
): number {
  const size = metric.length;
  let s = 0;
  for (let r = 0; r < n; r++) {
    const base = r * dim + offset;
    let m = 0;
    for (let c = 0; c < size; c++) {
      const v = x[base + c] as number;
      m += Math.abs(v * (metric[c] as number) * v);
    }
    s += m / size;
  }
  return nonZero(Math.sqrt(s / n));
}

/** Mean and population standard deviation (numpy's default, ddof = 0) of column `j`. */
export function meanStd(
  y: Batch,
  n: number,
  dim: number,
  j: number,
): { mean: number; std: number } {
  let mean = 0;
  for (let r = 0; r < n; r++) mean += y[r * dim + j] as number;
  mean /= n;
  let v = 0;
  for (let r = 0; r < n; r++) {
    const d = (y[r * dim + j] as number) - mean;
    v += d * d;
  }
  return { mean, std: nonZero(Math.sqrt(v / n)) };
}

/** No standardization: input scale 1, output mean 0 and scale 1. */
export function identityStandardization(inputDim: number, outputDim: number): Standardization {
  return {
    inputScale: new Float32Array(inputDim).fill(1),
    outputMean: new Float32Array(outputDim),
    outputScale: new Float32Array(outputDim).fill(1),
  };
}

/** An input-scale array from per-block values: `blocks` are [offset, size, scale]. */
export function blockScales(
  dim: number,
  blocks: readonly (readonly [number, number, number])[],
): Float32Array {
  const out = new Float32Array(dim).fill(1);
  for (const [offset, size, scale] of blocks) out.fill(scale, offset, offset + size);
  return out;
}

/** `x / inputScale`, row-major n x inputDim. */
export function standardizeInputs(x: Batch, n: number, s: Standardization): Float32Array {
  const dim = s.inputScale.length;
  checkShape(x, n, dim, "inputs");
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++)
    out[i] = (x[i] as number) / (s.inputScale[i % dim] as number);
  return out;
}

/** `(y - outputMean) / outputScale`, row-major n x outputDim. */
export function standardizeOutputs(y: Batch, n: number, s: Standardization): Float32Array {
  const dim = s.outputScale.length;
  checkShape(y, n, dim, "outputs");
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) {
    const j = i % dim;
    out[i] = ((y[i] as number) - (s.outputMean[j] as number)) / (s.outputScale[j] as number);
  }
  return out;
}

/** The inverse of `standardizeOutputs`: `z * outputScale + outputMean`, back to original units. */
export function unstandardizeOutputs(z: Batch, n: number, s: Standardization): Float32Array {
  const dim = s.outputScale.length;
  checkShape(z, n, dim, "standardized outputs");
  const out = new Float32Array(n * dim);
  for (let i = 0; i < out.length; i++) {
    const j = i % dim;
    out[i] = (z[i] as number) * (s.outputScale[j] as number) + (s.outputMean[j] as number);
  }
  return out;
}

function nonZero(scale: number): number {
  return scale > 0 && Number.isFinite(scale) ? scale : 1;
}
