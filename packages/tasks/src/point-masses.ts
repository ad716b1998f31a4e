import type { NormalSource } from "./task.js";

/**
 * Inputs of k point masses per row, [m_1..m_k, r_1, ..., r_k]: masses softplus(N(0,1)), then
 * positions N(0, I) as consecutive triples (n x 4k, row-major).
 */
export function samplePointMasses(source: NormalSource, n: number, k: number): Float64Array {
  const x = source.normals(n * 4 * k);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) x[r * 4 * k + i] = softplus(x[r * 4 * k + i] as number);
  }
  return x;
}

/** log(1 + exp(t)), computed without overflow. */
function softplus(t: number): number {
  return t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t));
}
