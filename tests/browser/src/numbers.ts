// Small numeric helpers shared by the page (browser) and the test (Node).

/** Deterministic values in [-1, 1) (xorshift32). */
export function values(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = ((s >>> 0) / 2 ** 32) * 2 - 1;
  }
  return out;
}

/** max |x - y| / max(max |y|, 1e-6); infinite when the lengths differ or x holds a NaN. */
export function relErr(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let e = 0;
  let m = 0;
  for (let i = 0; i < y.length; i++) {
    e = Math.max(e, Math.abs((x[i] as number) - (y[i] as number)));
    m = Math.max(m, Math.abs(y[i] as number));
  }
  if (Number.isNaN(e)) return Number.POSITIVE_INFINITY;
  return e / Math.max(m, 1e-6);
}
