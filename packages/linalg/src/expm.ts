import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { solve } from "./lu.js";
import { Matrix } from "./matrix.js";

// Scaling and squaring with Padé approximants (Higham 2005, "The scaling and squaring method for
// the matrix exponential revisited"): the degree m is the cheapest whose backward error bound
// theta_m covers ||a||_1; past theta_13 the matrix is scaled by 2^-s first. The bounds give
// backward error at most 2^-53, i.e. full double accuracy for well-conditioned problems.
const PADE: readonly { theta: number; b: readonly number[] }[] = [
  { theta: 1.495585217958292e-2, b: [120, 60, 12, 1] },
  { theta: 2.53939833006323e-1, b: [30240, 15120, 3360, 420, 30, 1] },
  { theta: 9.504178996162932e-1, b: [17297280, 8648640, 1995840, 277200, 25200, 1512, 56, 1] },
  {
    theta: 2.097847961257068,
    b: [17643225600, 8821612800, 2075673600, 302702400, 30270240, 2162160, 110880, 3960, 90, 1],
  },
];
const THETA13 = 5.371920351148152;
const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000,
  10559470521600, 670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];

/** The matrix exponential e^a of a square matrix. */
export function expm(a: Matrix): Matrix {
  if (a.rows !== a.cols) throw new ShapeError("expm", "a square matrix", `${a.rows} x ${a.cols}`);
  if (!a.isFinite()) throw new InvalidArgumentError("expm: the matrix has non-finite entries.");
  const n = a.rows;
  const norm = norm1(a);
  if (norm === 0) return Matrix.identity(n);

  for (const { theta, b } of PADE) {
    if (norm <= theta) return padeLowDegree(a, b);
  }

  const s = Math.max(0, Math.ceil(Math.log2(norm / THETA13)));
  const x = s > 0 ? a.scale(2 ** -s) : a;
  const id = Matrix.identity(n);
  const x2 = x.mul(x);
  const x4 = x2.mul(x2);
  const x6 = x4.mul(x2);
  const b = B13;
  const u = x.mul(
    x6
      .mul(combo([b[13]!, x6], [b[11]!, x4], [b[9]!, x2]))
      .add(combo([b[7]!, x6], [b[5]!, x4], [b[3]!, x2], [b[1]!, id])),
  );
  const v = x6
    .mul(combo([b[12]!, x6], [b[10]!, x4], [b[8]!, x2]))
    .add(combo([b[6]!, x6], [b[4]!, x4], [b[2]!, x2], [b[0]!, id]));
  let r = solve(v.sub(u), v.add(u));
  for (let i = 0; i < s; i++) r = r.mul(r);
  return r;
}

/** Padé [m/m] with m = b.length - 1 in {3, 5, 7, 9}: r = (v - u)^-1 (v + u). */
function padeLowDegree(a: Matrix, b: readonly number[]): Matrix {
  const n = a.rows;
  const a2 = a.mul(a);
  // Even powers I, a^2, a^4, ... as needed.
  const powers: Matrix[] = [Matrix.identity(n)];
  const m = b.length - 1;
  for (let k = 1; 2 * k < m; k++) powers.push(powers[k - 1]!.mul(a2));
  let odd = Matrix.zeros(n, n);
  let even = Matrix.zeros(n, n);
  for (let k = 0; k < powers.length; k++) {
    odd = odd.add(powers[k]!.scale(b[2 * k + 1]!));
    even = even.add(powers[k]!.scale(b[2 * k]!));
  }
  const u = a.mul(odd);
  return solve(even.sub(u), even.add(u));
}

function combo(...terms: [number, Matrix][]): Matrix {
  const n = terms[0]![1].rows;
  const out = Matrix.zeros(n, n);
  for (const [c, m] of terms)
    for (let i = 0; i < out.data.length; i++) out.data[i]! += c * m.data[i]!;
  return out;
}

/** The induced 1-norm: largest absolute column sum. */
function norm1(a: Matrix): number {
  const sums = new Float64Array(a.cols);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < a.cols; j++) sums[j]! += Math.abs(a.data[i * a.cols + j]!);
  }
  let m = 0;
  for (const s of sums) m = Math.max(m, s);
  return m;
}
