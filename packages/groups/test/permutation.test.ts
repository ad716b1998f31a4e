import { Rng } from "@isotropy/core";
import { Matrix } from "@isotropy/linalg";
import { describe, expect, it } from "vitest";
import { Cube, permInverse, permMul, StabilizerChain } from "../src/index.js";

const cyc = (n: number, ...cycle: number[]) => {
  const p = new Int32Array(n).map((_, i) => i);
  cycle.forEach((c, i) => {
    p[c] = cycle[(i + 1) % cycle.length]!;
  });
  return p;
};

describe("permutations and Schreier-Sims", () => {
  it("permMul is the matrix product and permInverse the transpose", () => {
    const rng = new Rng(1);
    const a = rng.permutation(7);
    const b = rng.permutation(7);
    expect(
      Matrix.permutation(permMul(a, b)).maxAbsDiff(
        Matrix.permutation(a).mul(Matrix.permutation(b)),
      ),
    ).toBe(0);
    expect(Matrix.permutation(permInverse(a)).maxAbsDiff(Matrix.permutation(a).transpose())).toBe(
      0,
    );
  });

  it("computes the orders of known groups", () => {
    expect(new StabilizerChain(6, [cyc(6, 0, 1), cyc(6, 0, 1, 2, 3, 4, 5)]).order()).toBe(720n);
    expect(
      new StabilizerChain(6, [
        cyc(6, 0, 1, 2),
        cyc(6, 1, 2, 3),
        cyc(6, 2, 3, 4),
        cyc(6, 3, 4, 5),
      ]).order(),
    ).toBe(360n);
    // Mathieu group M11 on 11 points: order 7920
    expect(
      new StabilizerChain(11, [
        cyc(11, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
        (() => {
          const p = new Int32Array(11).map((_, i) => i);
          // (2,6,10,7)(3,9,4,5), 0-based from the ATLAS generators (3,7,11,8)(4,10,5,6)
          for (const c of [
            [2, 6, 10, 7],
            [3, 9, 4, 5],
          ])
            c.forEach((x, i) => {
              p[x] = c[(i + 1) % 4]!;
            });
          return p;
        })(),
      ]).order(),
    ).toBe(7920n);
    expect(new StabilizerChain(5, []).order()).toBe(1n);
  });

  it("membership and uniform random elements", () => {
    const chain = new StabilizerChain(5, [cyc(5, 0, 1, 2), cyc(5, 2, 3, 4)]); // A5
    expect(chain.order()).toBe(60n);
    expect(chain.contains(cyc(5, 0, 1))).toBe(false);
    expect(chain.contains(cyc(5, 0, 4, 2))).toBe(true);
    const rng = new Rng(9);
    const counts = new Map<string, number>();
    for (let k = 0; k < 6000; k++) {
      const g = chain.random(rng);
      expect(chain.contains(g)).toBe(true);
      const key = g.join(",");
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(60);
    for (const c of counts.values()) expect(Math.abs(c - 100)).toBeLessThan(45);
  });

  it("Cube rotations keep opposite faces opposite: (0,5), (1,3), (2,4)", () => {
    const opposite = [5, 3, 4, 1, 2, 0];
    for (const p of Cube().permutationGenerators!) {
      for (let i = 0; i < 6; i++) expect(p[opposite[i]!]).toBe(opposite[p[i]!]);
    }
  });
});
