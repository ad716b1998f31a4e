/**
 * Blocks of Householder reflectors as I - V T V^T (compact WY; LAPACK's dlarft/dlarfb): applying
 * nb reflectors in one pass reads the target matrix once instead of nb times, and the inner loops
 * take four reflectors at a time, so one load of a row feeds eight flops.
 *
 * V is row-major len x nb; column t is reflector t (zero above its first row), and reflector t is
 * H_t = I - beta_t v_t v_t^T. The product H_0 H_1 ... H_{nb-1} equals I - V T V^T.
 */

/** The upper-triangular T: T[j][j] = beta_j, T[0:j, j] = -beta_j T[0:j, 0:j] (V^T v_j). */
export function blockFactor(
  v: Float64Array,
  len: number,
  nb: number,
  betas: ArrayLike<number>,
): Float64Array {
  const g = new Float64Array(nb * nb);
  for (let i = 0; i < len; i++) {
    const row = i * nb;
    for (let a = 0; a < nb; a++) {
      const va = v[row + a]!;
      if (va === 0) continue;
      for (let b = a; b < nb; b++) g[a * nb + b]! += va * v[row + b]!;
    }
  }
  const tm = new Float64Array(nb * nb);
  for (let j = 0; j < nb; j++) {
    const beta = betas[j]!;
    tm[j * nb + j] = beta;
    for (let i = 0; i < j; i++) {
      let s = 0;
      for (let u = i; u < j; u++) s += tm[i * nb + u]! * g[u * nb + j]!;
      tm[i * nb + j] = -beta * s;
    }
  }
  return tm;
}

/**
 * a[r0 + i][c0 + j] for i < len, c0 + j < c1 becomes ((I - V T V^T) a) — or, with transposeT,
 * ((I - V T^T V^T) a), the transpose of the block (H_{nb-1} ... H_0).
 */
export function applyBlockReflector(
  a: Float64Array,
  stride: number,
  r0: number,
  len: number,
  c0: number,
  c1: number,
  v: Float64Array,
  nb: number,
  tm: Float64Array,
  transposeT: boolean,
): void {
  const cols = c1 - c0;
  if (cols <= 0 || nb === 0) return;
  const y = new Float64Array(nb * cols);
  // y = V^T a
  for (let i = 0; i < len; i++) {
    const arow = (r0 + i) * stride + c0;
    const vrow = i * nb;
    let t = 0;
    for (; t + 4 <= nb; t += 4) {
      const v0 = v[vrow + t]!;
      const v1 = v[vrow + t + 1]!;
      const v2 = v[vrow + t + 2]!;
      const v3 = v[vrow + t + 3]!;
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
      const y0 = t * cols;
      const y1 = y0 + cols;
      const y2 = y1 + cols;
      const y3 = y2 + cols;
      for (let j = 0; j < cols; j++) {
        const x = a[arow + j]!;
        y[y0 + j]! += v0 * x;
        y[y1 + j]! += v1 * x;
        y[y2 + j]! += v2 * x;
        y[y3 + j]! += v3 * x;
      }
    }
    for (; t < nb; t++) {
      const vt = v[vrow + t]!;
      if (vt === 0) continue;
      const yrow = t * cols;
      for (let j = 0; j < cols; j++) y[yrow + j]! += vt * a[arow + j]!;
    }
  }
  // y = T y (rows ascending use rows below) or T^T y (rows descending use rows above).
  if (transposeT) {
    for (let t = nb - 1; t >= 0; t--) {
      const yrow = t * cols;
      const ttt = tm[t * nb + t]!;
      for (let j = 0; j < cols; j++) y[yrow + j]! *= ttt;
      for (let u = 0; u < t; u++) {
        const f = tm[u * nb + t]!;
        if (f === 0) continue;
        const urow = u * cols;
        for (let j = 0; j < cols; j++) y[yrow + j]! += f * y[urow + j]!;
      }
    }
  } else {
    for (let t = 0; t < nb; t++) {
      const yrow = t * cols;
      const ttt = tm[t * nb + t]!;
      for (let j = 0; j < cols; j++) y[yrow + j]! *= ttt;
      for (let u = t + 1; u < nb; u++) {
        const f = tm[t * nb + u]!;
        if (f === 0) continue;
        const urow = u * cols;
        for (let j = 0; j < cols; j++) y[yrow + j]! += f * y[urow + j]!;
      }
    }
  }
  // a -= V y
  for (let i = 0; i < len; i++) {
    const arow = (r0 + i) * stride + c0;
    const vrow = i * nb;
    let t = 0;
    for (; t + 4 <= nb; t += 4) {
      const v0 = v[vrow + t]!;
      const v1 = v[vrow + t + 1]!;
      const v2 = v[vrow + t + 2]!;
      const v3 = v[vrow + t + 3]!;
      if (v0 === 0 && v1 === 0 && v2 === 0 && v3 === 0) continue;
      const y0 = t * cols;
      const y1 = y0 + cols;
      const y2 = y1 + cols;
      const y3 = y2 + cols;
      for (let j = 0; j < cols; j++) {
        a[arow + j]! -= v0 * y[y0 + j]! + v1 * y[y1 + j]! + v2 * y[y2 + j]! + v3 * y[y3 + j]!;
      }
    }
    for (; t < nb; t++) {
      const vt = v[vrow + t]!;
      if (vt === 0) continue;
      const yrow = t * cols;
      for (let j = 0; j < cols; j++) a[arow + j]! -= vt * y[yrow + j]!;
    }
  }
}
