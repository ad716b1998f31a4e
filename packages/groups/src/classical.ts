import type { Rng } from "@isotropy/core";
import { Matrix, qr } from "@isotropy/linalg";
import { intArg, MAX_LIE_DIM } from "./args.js";
import type { Group } from "./group.js";
import { Opq, SOpq } from "./lorentz.js";
import { MatrixGroup } from "./matrix-group.js";
import { complexDeterminant } from "./matrix-utils.js";
import { definiteO, definiteSO, reflection } from "./orthogonal.js";

function unit(n: number, entries: readonly [number, number, number][]): Matrix {
  const m = Matrix.zeros(n, n);
  for (const [i, j, v] of entries) m.data[i * n + j] = v;
  return m;
}

/**
 * SO(n), the special orthogonal group on R^n (Haar samples), or with two arguments SO(p, q),
 * the determinant-one Lorentz-type group of eta = diag(+1 x p, -1 x q) (see `SOpq`).
 */
export function SO(n: number, q?: number): Group {
  return q === undefined ? definiteSO(n) : SOpq(n, q);
}

/**
 * O(n), the orthogonal group on R^n (Haar samples), or with two arguments O(p, q), the
 * indefinite orthogonal group of eta = diag(+1 x p, -1 x q), time first (see `Opq`).
 */
export function O(n: number, q?: number): Group {
  return q === undefined ? definiteO(n) : Opq(n, q);
}

/**
 * The special linear group SL(n): emlp's basis of sl(n), the off-diagonal units E_ij followed by
 * E_ll - E_nn for l < n. Samples: exp of a Lie-algebra element with standard normal coefficients.
 */
export function SL(n: number): Group {
  intArg("SL(n)", "n", n, 1, MAX_LIE_DIM);
  const lie = () => {
    const out: Matrix[] = [];
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) if (i !== j) out.push(unit(n, [[i, j, 1]]));
    for (let l = 0; l < n - 1; l++) {
      out.push(
        unit(n, [
          [l, l, 1],
          [n - 1, n - 1, -1],
        ]),
      );
    }
    return out;
  };
  return new MatrixGroup({
    name: `SL(${n})`,
    d: n,
    lie,
    isOrthogonal: n === 1,
    ...(n === 1 ? { isFinite: true, order: () => 1n, elements: () => [Matrix.identity(1)] } : {}),
  });
}

/**
 * The general linear group GL(n): Lie generators E_ij (all n^2 units, as emlp) and, unlike emlp,
 * the reflection diag(-1, 1, ..., 1) so that both components are present (for polynomial
 * representations the equivariant maps are the same, since GL+(n) is Zariski-dense in GL(n)).
 * Samples: exp of a normal Lie-algebra element times the reflection with probability 1/2.
 */
export function GL(n: number): Group {
  intArg("GL(n)", "n", n, 1, MAX_LIE_DIM);
  const lie = () => {
    const out: Matrix[] = [];
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out.push(unit(n, [[i, j, 1]]));
    return out;
  };
  return new MatrixGroup({
    name: `GL(${n})`,
    d: n,
    lie,
    discrete: () => [reflection(n)],
    isOrthogonal: false,
  });
}

/**
 * The symplectic group Sp(m) on R^(2m), preserving J = [[0, I], [-I, 0]] (g^T J g = J). emlp's
 * basis of sp(2m): [[E_ij, 0], [0, -E_ji]], then the symmetric off-diagonal blocks.
 */
export function Sp(m: number): Group {
  intArg("Sp(m)", "m", m, 1, MAX_LIE_DIM / 2);
  const n = 2 * m;
  const lie = () => {
    const out: Matrix[] = [];
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        out.push(
          unit(n, [
            [i, j, 1],
            [m + j, m + i, -1],
          ]),
        );
      }
    }
    for (let i = 0; i < m; i++) {
      for (let j = 0; j <= i; j++) {
        out.push(
          unit(n, [
            [m + i, j, 1],
            [m + j, i, 1],
          ]),
        );
        out.push(
          unit(n, [
            [i, m + j, 1],
            [j, m + i, 1],
          ]),
        );
      }
    }
    return out;
  };
  return new MatrixGroup({
    name: `Sp(${m})`,
    d: n,
    lie,
    isOrthogonal: false,
    invariantForm: { form: symplecticForm(m), kind: "symplectic", special: false },
  });
}

/** The symplectic form J = [[0, I_m], [-I_m, 0]] that Sp(m) preserves. */
export function symplecticForm(m: number): Matrix {
  const n = 2 * m;
  const j = Matrix.zeros(n, n);
  for (let i = 0; i < m; i++) {
    j.data[i * n + m + i] = 1;
    j.data[(m + i) * n + i] = -1;
  }
  return j;
}

/** The scaling group {e^t I} on R^n (positive multiples of the identity; Lie generator I). */
export function Scaling(n: number): Group {
  intArg("Scaling(n)", "n", n, 1, 4096);
  return new MatrixGroup({
    name: `Scaling(${n})`,
    d: n,
    lie: () => [Matrix.identity(n)],
    isOrthogonal: false,
    sample: (rng) => Matrix.identity(n).scale(Math.exp(rng.normal())),
  });
}

// --- Unitary groups, realified ------------------------------------------------------------------

/**
 * The realification of the complex matrix A + iB: [[A, -B], [B, A]], acting on (x; y) for
 * z = x + iy in C^n.
 */
export function realify(re: Matrix, im: Matrix): Matrix {
  const n = re.rows;
  const out = Matrix.zeros(2 * n, 2 * n);
  const w = 2 * n;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const a = re.data[i * n + j]!;
      const b = im.data[i * n + j]!;
      out.data[i * w + j] = a;
      out.data[i * w + n + j] = -b;
      out.data[(n + i) * w + j] = b;
      out.data[(n + i) * w + n + j] = a;
    }
  }
  return out;
}

/** emlp's basis of u(n) (special: su(n)), each A + iB realified. */
function unitaryGenerators(n: number, special: boolean): Matrix[] {
  const out: Matrix[] = [];
  const zero = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const re = unit(n, [
        [i, j, 1],
        [j, i, -1],
      ]);
      out.push(realify(re, zero));
      const im = unit(n, [
        [i, j, 1],
        [j, i, 1],
      ]);
      out.push(realify(zero, im));
    }
  }
  const diag = special ? n - 1 : n;
  for (let i = 0; i < diag; i++) {
    const im = Matrix.zeros(n, n);
    im.data[i * n + i] = 1;
    if (special) for (let j = 0; j < n; j++) if (j !== i) im.data[j * n + j] = -1 / (n - 1);
    out.push(realify(zero, im));
  }
  return out;
}

/**
 * A Haar unitary, realified: the real QR (positive diagonal) of the interleaved realification of
 * a complex Gaussian matrix is the interleaved realification of the complex QR, whose Q is Haar
 * on U(n) (Mezzadri 2007). With `special`, Q is multiplied by the scalar e^(-i phi / n) where
 * det Q = e^(i phi), which is Haar on SU(n).
 */
function haarUnitary(n: number, rng: Rng, special: boolean): Matrix {
  const w = 2 * n;
  const inter = Matrix.zeros(w, w);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const x = rng.normal();
      const y = rng.normal();
      inter.data[2 * i * w + 2 * j] = x;
      inter.data[2 * i * w + 2 * j + 1] = -y;
      inter.data[(2 * i + 1) * w + 2 * j] = y;
      inter.data[(2 * i + 1) * w + 2 * j + 1] = x;
    }
  }
  const { q, r } = qr(inter);
  for (let j = 0; j < w; j++) {
    if (r.get(j, j) < 0) for (let i = 0; i < w; i++) q.data[i * w + j] = -q.data[i * w + j]!;
  }
  let re = new Float64Array(n * n);
  let im = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      re[i * n + j] = q.data[2 * i * w + 2 * j]!;
      im[i * n + j] = q.data[(2 * i + 1) * w + 2 * j]!;
    }
  }
  if (special) {
    const [dr, di] = complexDeterminant(re, im, n);
    const phi = Math.atan2(di, dr) / n;
    const c = Math.cos(phi);
    const s = -Math.sin(phi);
    const re2 = new Float64Array(n * n);
    const im2 = new Float64Array(n * n);
    for (let k = 0; k < n * n; k++) {
      re2[k] = c * re[k]! - s * im[k]!;
      im2[k] = c * im[k]! + s * re[k]!;
    }
    re = re2;
    im = im2;
  }
  return realify(new Matrix(n, n, re), new Matrix(n, n, im));
}

/**
 * The unitary group U(n), realified on R^(2n): z = x + iy is the vector (x; y) and A + iB acts
 * as [[A, -B], [B, A]]. A subgroup of SO(2n). Sampling is Haar.
 */
export function U(n: number): Group {
  intArg("U(n)", "n", n, 1, MAX_LIE_DIM / 2);
  return new MatrixGroup({
    name: `U(${n})`,
    d: 2 * n,
    lie: () => unitaryGenerators(n, false),
    isOrthogonal: true,
    sample: (rng) => haarUnitary(n, rng, false),
  });
}

/** The special unitary group SU(n), realified on R^(2n) as U(n). Sampling is Haar. */
export function SU(n: number): Group {
  intArg("SU(n)", "n", n, 1, MAX_LIE_DIM / 2);
  return new MatrixGroup({
    name: `SU(${n})`,
    d: 2 * n,
    lie: () => unitaryGenerators(n, true),
    isOrthogonal: true,
    sample: (rng) => haarUnitary(n, rng, true),
    ...(n === 1 ? { isFinite: true, order: () => 1n, elements: () => [Matrix.identity(2)] } : {}),
  });
}
