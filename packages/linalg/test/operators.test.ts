import { InvalidArgumentError, Rng, ShapeError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  blockDiag,
  compose,
  dense,
  hstack,
  identity,
  kron,
  kronSum,
  type LinearOperator,
  linearCombination,
  Matrix,
  permutationOp,
  shift,
  vstack,
} from "../src/index.js";
import { randomMatrix, so3Generators } from "./helpers.js";

/** Checks every product of op against the explicit matrix `want` on random inputs. */
function expectEqualsDense(op: LinearOperator, want: Matrix, seed = 1): void {
  const rng = new Rng(seed);
  const tol = 1e-12 * Math.max(1, want.frobeniusNorm());
  expect([op.rows, op.cols]).toEqual([want.rows, want.cols]);
  expect(op.toDense().maxAbsDiff(want)).toBeLessThan(tol);
  const x = rng.normals(want.cols);
  const y = rng.normals(want.rows);
  expect(maxDiff(op.matvec(x), want.matvec(x))).toBeLessThan(tol * 10);
  expect(maxDiff(op.rmatvec(y), want.transpose().matvec(y))).toBeLessThan(tol * 10);
  const xb = randomMatrix(want.cols, 3, rng);
  const yb = randomMatrix(want.rows, 2, rng);
  expect(op.matmat(xb).maxAbsDiff(want.mul(xb))).toBeLessThan(tol * 10);
  const t = op.transpose();
  expect([t.rows, t.cols]).toEqual([want.cols, want.rows]);
  expect(t.matmat(yb).maxAbsDiff(want.transpose().mul(yb))).toBeLessThan(tol * 10);
  expect(t.toDense().maxAbsDiff(want.transpose())).toBeLessThan(tol);
  expect(t.transpose().matvec(x).length).toBe(want.rows);
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe("lazy operators equal their dense matrices", () => {
  it("dense and identity", () => {
    const a = randomMatrix(4, 6, 1);
    expectEqualsDense(dense(a), a);
    expectEqualsDense(identity(5), Matrix.identity(5));
  });

  it("permutationOp follows Matrix.permutation", () => {
    const perm = [2, 0, 3, 1, 4];
    expectEqualsDense(permutationOp(perm), Matrix.permutation(perm));
    expect(Array.from(permutationOp(perm).matvec(Float64Array.from([10, 11, 12, 13, 14])))).toEqual(
      [12, 10, 13, 11, 14],
    );
    expect(() => permutationOp([0, 0, 1])).toThrow(InvalidArgumentError);
  });

  it("shift is the cyclic roll: (S x)_i = x[(i - k) mod n]", () => {
    const s = shift(5, 2);
    expect(Array.from(s.matvec(Float64Array.from([0, 1, 2, 3, 4])))).toEqual([3, 4, 0, 1, 2]);
    expectEqualsDense(shift(6, -1), Matrix.permutation([1, 2, 3, 4, 5, 0]));
    expectEqualsDense(shift(4, 9), Matrix.permutation([3, 0, 1, 2]));
  });

  it("kron of rectangular, square, identity and lazy factors", () => {
    const a = randomMatrix(2, 3, 2);
    const b = randomMatrix(3, 2, 3);
    const c = randomMatrix(2, 2, 4);
    expectEqualsDense(kron(a, b), a.kron(b));
    expectEqualsDense(kron(a, b, c), a.kron(b).kron(c));
    expectEqualsDense(
      kron(identity(2), a, identity(3)),
      Matrix.identity(2).kron(a).kron(Matrix.identity(3)),
    );
    expectEqualsDense(kron(Matrix.identity(3), c), Matrix.identity(3).kron(c));
    expectEqualsDense(kron(a), a);
    expectEqualsDense(kron(), Matrix.identity(1));
    const p = permutationOp([1, 2, 0]);
    expectEqualsDense(kron(c, p, b), c.kron(p.toDense()).kron(b));
  });

  it("kron with a large lazy factor goes through its matmat", () => {
    const big = kron(randomMatrix(20, 20, 5), randomMatrix(20, 20, 6)); // 400 x 400, stays lazy
    const c = randomMatrix(2, 3, 7);
    expectEqualsDense(kron(c, big), c.kron(big.toDense()));
    expectEqualsDense(kron(big, c), big.toDense().kron(c));
  });

  it("kronSum is A⊗I⊗I + I⊗B⊗I + I⊗I⊗C", () => {
    const a = randomMatrix(2, 2, 8);
    const b = randomMatrix(3, 3, 9);
    const c = randomMatrix(2, 2, 10);
    const i2 = Matrix.identity(2);
    const i3 = Matrix.identity(3);
    const want = a.kron(i3).kron(i2).add(i2.kron(b).kron(i2)).add(i2.kron(i3).kron(c));
    expectEqualsDense(kronSum(a, b, c), want);
    const [lx] = so3Generators();
    const l = lx!;
    const i = Matrix.identity(3);
    expectEqualsDense(kronSum(l, l), l.kron(i).add(i.kron(l)));
    expect(() => kronSum(a, randomMatrix(2, 3, 1))).toThrow(ShapeError);
  });

  it("blockDiag, vstack, hstack", () => {
    const a = randomMatrix(2, 3, 11);
    const b = randomMatrix(4, 1, 12);
    const c = randomMatrix(2, 3, 13);
    const bd = new Matrix(6, 4);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) bd.set(i, j, a.get(i, j));
    for (let i = 0; i < 4; i++) bd.set(2 + i, 3, b.get(i, 0));
    expectEqualsDense(blockDiag(a, b), bd);
    expectEqualsDense(
      vstack(a, c, kron(Matrix.identity(1), a)),
      Matrix.fromRows([...a.toArray(), ...c.toArray(), ...a.toArray()]),
    );
    expectEqualsDense(
      hstack(a, c.transpose().transpose(), dense(randomMatrix(2, 1, 14))),
      Matrix.fromRows(
        a.toArray().map((row, i) => [...row, ...c.row(i), randomMatrix(2, 1, 14).get(i, 0)]),
      ),
    );
    expect(() => vstack(a, b)).toThrow(ShapeError);
    expect(() => hstack(a, b)).toThrow(ShapeError);
    expect(() => vstack()).toThrow(InvalidArgumentError);
    expect(blockDiag().rows).toBe(0);
  });

  it("linearCombination and compose", () => {
    const a = randomMatrix(3, 4, 15);
    const b = randomMatrix(3, 4, 16);
    const c = randomMatrix(4, 2, 17);
    expectEqualsDense(
      linearCombination([
        [2, a],
        [-0.5, dense(b)],
      ]),
      a.scale(2).add(b.scale(-0.5)),
    );
    expectEqualsDense(compose(a, c), a.mul(c));
    expectEqualsDense(
      compose(b.transpose(), kron(a, Matrix.identity(1)), c),
      b.transpose().mul(a).mul(c),
    );
    const p = permutationOp([1, 2, 0]);
    expectEqualsDense(
      linearCombination([
        [1, p],
        [-1, identity(3)],
      ]),
      p.toDense().sub(Matrix.identity(3)),
    );
    expect(() =>
      linearCombination([
        [1, a],
        [1, c],
      ]),
    ).toThrow(ShapeError);
    expect(() => compose(a, b)).toThrow(ShapeError);
    expect(() => linearCombination([])).toThrow(InvalidArgumentError);
  });

  it("nested operators: the so(3) constraint on V⊗V⊗V", () => {
    const gens = so3Generators();
    const i = Matrix.identity(3);
    const ops = gens.map((g) => kronSum(g, g, g));
    const want = Matrix.fromRows(
      gens.flatMap((g) =>
        g.kron(i).kron(i).add(i.kron(g).kron(i)).add(i.kron(i).kron(g)).toArray(),
      ),
    );
    expectEqualsDense(vstack(...ops), want);
    expectEqualsDense(
      compose(vstack(...ops).transpose(), vstack(...ops)),
      want.transpose().mul(want),
    );
  });

  it("refuses vectors of the wrong length", () => {
    expect(() => kron(randomMatrix(2, 2, 1)).matvec(new Float64Array(3))).toThrow(ShapeError);
    expect(() => identity(2).matmat(Matrix.zeros(3, 1))).toThrow(ShapeError);
  });
});
