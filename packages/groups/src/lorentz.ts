import { InvalidArgumentError } from "@isotropy/core";
import { Matrix } from "@isotropy/linalg";
import { intArg, MAX_LIE_DIM } from "./args.js";
import type { Group } from "./group.js";
import { MatrixGroup } from "./matrix-group.js";
import { definiteO, definiteSO } from "./orthogonal.js";

/** The metric eta = diag(+1 (p times), -1 (q times)): time-like coordinates first. */
export function minkowskiMetric(p: number, q: number): Matrix {
  return Matrix.diag([...Array(p).fill(1), ...Array(q).fill(-1)]);
}

/**
 * The basis of so(p, q) (A^T eta + eta A = 0): first the boosts E_ij + E_ji (i time-like,
 * j space-like), then the rotations of the time-like block, then those of the space-like block
 * (each as emlp's so(n): (i, j) = 1, (j, i) = -1 for i > j). For (1, 3) this is emlp's SO13p.
 */
export function lorentzGenerators(p: number, q: number): { generators: Matrix[]; boosts: number } {
  const n = p + q;
  const out: Matrix[] = [];
  const unit = (entries: [number, number, number][]) => {
    const m = Matrix.zeros(n, n);
    for (const [i, j, v] of entries) m.data[i * n + j] = v;
    return m;
  };
  for (let i = 0; i < p; i++) {
    for (let j = p; j < n; j++) {
      out.push(
        unit([
          [j, i, 1],
          [i, j, 1],
        ]),
      );
    }
  }
  const boosts = out.length;
  const rotations = (lo: number, hi: number) => {
    for (let i = lo; i < hi; i++) {
      for (let j = lo; j < i; j++) {
        out.push(
          unit([
            [i, j, 1],
            [j, i, -1],
          ]),
        );
      }
    }
  };
  rotations(0, p);
  rotations(p, n);
  return { generators: out, boosts };
}

/**
 * Reflection of one block: the whole block negated when its size is odd (for O(1,3): parity
 * P = diag(1,-1,-1,-1) and time reversal T = diag(-1,1,1,1)), otherwise its first coordinate.
 * Either way det = -1 on that block and +1 on the other.
 */
function blockReflection(p: number, q: number, block: "time" | "space"): Matrix {
  const [lo, size] = block === "time" ? [0, p] : [p, q];
  const v = Array(p + q).fill(1);
  if (size % 2 === 1) for (let i = lo; i < lo + size; i++) v[i] = -1;
  else v[lo] = -1;
  return Matrix.diag(v);
}

type Kind = "O" | "SO" | "SO+";

function indefinite(kind: Kind, p: number, q: number): Group {
  const call = `${kind}(p, q)`;
  intArg(call, "p", p, 0, MAX_LIE_DIM);
  intArg(call, "q", q, 0, MAX_LIE_DIM);
  if (p + q < 1)
    throw new InvalidArgumentError(`${call}: needs p + q >= 1, got p = ${p}, q = ${q}.`);
  intArg(call, "p + q", p + q, 1, MAX_LIE_DIM);
  // Definite signatures are the compact groups (the metric is +-I).
  if (p === 0 || q === 0) return kind === "O" ? definiteO(p + q) : definiteSO(p + q);
  const { generators, boosts } = lorentzGenerators(p, q);
  const P = blockReflection(p, q, "space");
  const T = blockReflection(p, q, "time");
  const discrete = kind === "O" ? [P, T] : kind === "SO" ? [P.mul(T)] : [];
  // Boost coefficients are drawn with standard deviation 0.3 (as emlp's SO13p): exp of large
  // boosts grows like e^|z| and makes high tensor powers overflow.
  const lieScale = generators.map((_, k) => (k < boosts ? 0.3 : 1));
  return new MatrixGroup({
    name: `${kind}(${p},${q})`,
    d: p + q,
    lie: generators,
    discrete,
    isOrthogonal: false,
    lieScale,
    invariantForm: { form: minkowskiMetric(p, q), kind: "orthogonal", special: kind !== "O" },
  });
}

/**
 * The indefinite orthogonal group O(p, q) preserving eta = diag(+1 x p, -1 x q) (time first):
 * so(p, q) plus the space reflection P and the time reversal T. O(p, 0) and O(0, q) are O(n).
 */
export function Opq(p: number, q: number): Group {
  return indefinite("O", p, q);
}

/** SO(p, q): the determinant-one part of O(p, q), so(p, q) plus PT (= -I for (1, 3)). */
export function SOpq(p: number, q: number): Group {
  return indefinite("SO", p, q);
}

/** SO+(p, q): the identity component of O(p, q) (Lie generators only). */
export function SOplus(p: number, q: number): Group {
  return indefinite("SO+", p, q);
}

/** The full Lorentz group O(1,3), metric diag(1, -1, -1, -1) with time first. */
export function Lorentz(): Group {
  return Opq(1, 3);
}
