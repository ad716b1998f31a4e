import { describe, expect, it } from "vitest";
import { inertia, o5Synthetic, particleInteraction } from "../src/index.js";

describe("o5-synthetic formula", () => {
  it("matches hand-computed values", () => {
    // x1 = (3,4,0,0,0), |x1| = 5; x2 = (0,0,0,0,2), |x2| = 2, x1 . x2 = 0.
    // x1 = (1,0,0,0,0), x2 = (2,0,0,0,0): cos = 1, |x2|^3 = 8.
    const x = Float64Array.from([3, 4, 0, 0, 0, 0, 0, 0, 0, 2, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0]);
    const y = o5Synthetic.target(x, 2);
    expect(y[0]).toBeCloseTo(Math.sin(5) - 4, 12);
    expect(y[1]).toBeCloseTo(Math.sin(1) - 4 + 1, 12);
  });

  it("declares its reps, group and sizes", () => {
    expect(o5Synthetic).toMatchObject({ groupName: "O(5)", repIn: "2*V", repOut: "Scalar" });
    expect([o5Synthetic.inputDim, o5Synthetic.outputDim]).toEqual([10, 1]);
  });
});

describe("inertia formula", () => {
  it("gives m (|r|^2 I - r r^T) for a single point mass", () => {
    const m = Math.log(2);
    const x = new Float64Array(20);
    x[0] = m; // masses are inputs 0..4; only the first is nonzero
    x[5] = 1; // r_1 = (1, 2, 3), inputs 5..7
    x[6] = 2;
    x[7] = 3;
    const y = inertia.target(x, 1);
    const expected = [13, -2, -3, -2, 10, -6, -3, -6, 5].map((v) => m * v);
    for (let i = 0; i < 9; i++) expect(y[i]).toBeCloseTo(expected[i] as number, 12);
  });

  it("adds the contributions of several masses (positions are consecutive triples)", () => {
    const x = new Float64Array(20);
    x[1] = 2; // mass 2 on r_2 = (0, 0, 1): 2 * diag(1, 1, 0)
    x[10] = 1;
    x[4] = 3; // mass 5 on r_5 = (1, 0, 0): 3 * diag(0, 1, 1)
    x[17] = 1;
    expect(Array.from(inertia.target(x, 1))).toEqual([2, 0, 0, 0, 5, 0, 0, 0, 3]);
  });

  it("stores masses log(1 + exp(z)) > 0 as its first five inputs", () => {
    const { train } = inertia.generate({
      nTrain: 2000,
      nVal: 0,
      nTest: 0,
      poolSize: 2000,
      seed: 3,
    });
    let mean = 0;
    for (let r = 0; r < train.n; r++) {
      for (let i = 0; i < 5; i++) {
        const m = train.x[r * 20 + i] as number;
        expect(m).toBeGreaterThan(0);
        mean += m;
      }
    }
    // E[softplus(Z)] for Z ~ N(0,1) is about 0.8066.
    expect(mean / (5 * train.n)).toBeCloseTo(0.8066, 1);
  });
});

describe("particle-interaction formula", () => {
  const eta = [1, -1, -1, -1];
  const dot = (a: number[], b: number[]) =>
    a.reduce((s, v, i) => s + (eta[i] as number) * v * (b[i] as number), 0);

  it("matches a configuration computed by hand", () => {
    // p1 = p2 = e0, p3 = p4 = e1: Le = e0 e1^T + eta, Lmu = -e0 e1^T + eta, sum Le*Lmu = -1 + 4.
    const x = Float64Array.from([1, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0]);
    expect(particleInteraction.target(x, 1)[0]).toBeCloseTo(12, 12);
  });

  it("matches the contracted closed form on random inputs", () => {
    // sum_ij Le_ij Lmu_ij = dot(p1,p2) dot(p3,p4) - b dot(p1,p3) - a dot(p2,p4) + 4ab,
    // with a = dot(p1,p3) - dot(p1,p1), b = dot(p2,p4) - dot(p2,p2).
    const { train } = particleInteraction.generate({ nTrain: 50, nVal: 0, nTest: 0, poolSize: 50 });
    const y = particleInteraction.target(train.x, train.n);
    for (let r = 0; r < train.n; r++) {
      const p = [0, 1, 2, 3].map((k) =>
        Array.from(train.x.subarray(16 * r + 4 * k, 16 * r + 4 * k + 4)),
      );
      const [p1, p2, p3, p4] = p as [number[], number[], number[], number[]];
      const a = dot(p1, p3) - dot(p1, p1);
      const b = dot(p2, p4) - dot(p2, p2);
      const closed =
        4 * (dot(p1, p2) * dot(p3, p4) - b * dot(p1, p3) - a * dot(p2, p4) + 4 * a * b);
      expect(y[r]).toBeCloseTo(closed, 12);
    }
  });

  it("draws inputs from N(0,1)/4", () => {
    const { train } = particleInteraction.generate({
      nTrain: 4000,
      nVal: 0,
      nTest: 0,
      poolSize: 4000,
    });
    let s = 0;
    for (const v of train.x) s += v * v;
    expect(s / train.x.length).toBeCloseTo(1 / 16, 2);
  });
});

describe("stored data", () => {
  it("holds y = target(x) up to float32 rounding", () => {
    for (const task of [o5Synthetic, inertia, particleInteraction]) {
      const { train } = task.generate({ nTrain: 100, nVal: 0, nTest: 0, poolSize: 100 });
      const y = task.target(train.x, train.n);
      for (let i = 0; i < y.length; i++) expect(train.y[i]).toBe(Math.fround(y[i] as number));
    }
  });
});
