import { InvalidArgumentError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  emlpSplitIds,
  inertia,
  NumpyRandomState,
  o5Synthetic,
  particleInteraction,
} from "../src/index.js";

// Known answers computed with numpy 2.4 (legacy RandomState), emlp's dataset formulas, and
// scikit-learn's shuffle split as olive-oil-ml's split_dataset calls it.

describe("NumpyRandomState: numpy's legacy RandomState", () => {
  it("gives MT19937's outputs for np.random.seed(2021)", () => {
    const r = new NumpyRandomState(2021);
    expect([r.uint32(), r.uint32(), r.uint32()]).toEqual([2602656884, 3431165269, 3149797433]);
  });

  it("gives np.random.randn's values, the polar method's spare included", () => {
    const r = new NumpyRandomState(2021);
    expect(Array.from(r.normals(5))).toEqual([
      1.4886090526695128, 0.6760108714023921, -0.4184513694767187, -0.8065208130756107,
      0.555875831519425,
    ]);
  });

  it("gives np.random.permutation's order, and the stream continues as numpy's does", () => {
    const r = new NumpyRandomState(7);
    expect(Array.from(r.permutation(10))).toEqual([8, 5, 0, 2, 1, 9, 7, 3, 6, 4]);
    expect(Array.from(r.normals(3))).toEqual([
      -0.1569886595634109, -0.2901313829291646, 2.025771524137035,
    ]);
  });

  it("is still numpy's after the first twist of the state (576,000 normals, then a permutation)", () => {
    const r = new NumpyRandomState(2021);
    const x = r.normals(36_000 * 16, 1 / 4);
    expect(Array.from(x.subarray(x.length - 4))).toEqual([
      0.12277626764963111, -0.4595999997985928, -0.37570643116852487, 0.23216430377713335,
    ]);
    const p = r.permutation(36_000);
    expect(Array.from(p.subarray(0, 5))).toEqual([7609, 33558, 266, 34134, 30105]);
    expect(Array.from(p.subarray(p.length - 5))).toEqual([6400, 27589, 2020, 15472, 7152]);
  });

  it("refuses seeds numpy refuses", () => {
    for (const bad of [-1, 2 ** 32, 1.5, Number.NaN]) {
      expect(() => new NumpyRandomState(bad)).toThrow(InvalidArgumentError);
    }
  });
});

describe("emlpSplitIds: emlp's split_dataset", () => {
  it("cuts test, then train, then val (largest first, ties train before val)", () => {
    const r = new NumpyRandomState(2021);
    r.normals(36_000 * 16);
    const ids = emlpSplitIds({ nTrain: 1000, nVal: 1000, nTest: 5000, poolSize: 36_000 }, r);
    expect(Array.from(ids.test.subarray(0, 5))).toEqual([7609, 33558, 266, 34134, 30105]);
    expect(Array.from(ids.train.subarray(0, 5))).toEqual([12970, 35712, 8416, 28218, 10674]);
    expect(Array.from(ids.val.subarray(0, 5))).toEqual([14729, 27726, 6980, 26966, 15143]);
    expect([ids.train.length, ids.val.length, ids.test.length]).toEqual([1000, 1000, 5000]);
    const all = new Set([...ids.train, ...ids.val, ...ids.test]);
    expect(all.size).toBe(7000);
  });
});

describe('generate({ pool: "emlp" }): emlp\'s published data', () => {
  it("particle-interaction N = 1000: emlp's rows, targets and pool statistics", () => {
    const d = particleInteraction.generate({ nTrain: 1000, seed: 2021, pool: "emlp" });
    expect(d.pool).toBe("emlp");
    const f = (v: number) => Math.fround(v);
    expect(Array.from(d.train.y.subarray(0, 3))).toEqual(
      [0.24389552219156702, -0.008768773705921684, -0.8929205308645171].map(f),
    );
    expect(d.standardization.outputMean[0]).toBe(f(0.24858114741318282));
    expect(d.standardization.outputScale[0]).toBe(f(0.862657661504995));
    expect(Array.from(d.standardization.inputScale.filter((_, i) => i % 4 === 0))).toEqual(
      [0.2506883258928635, 0.24964204770161935, 0.24996322978340077, 0.2505273783916768].map(f),
    );
    // The test split is the first 5,000 rows of the first permutation: row 7609 of the pool.
    const r = new NumpyRandomState(2021);
    const x = r.normals(36_000 * 16, 1 / 4);
    expect(Array.from(d.test.x.subarray(0, 16))).toEqual(
      Array.from(x.subarray(7609 * 16, 7610 * 16)).map(f),
    );
  });

  it("o5-synthetic N = 100: the splits in order test, val, train", () => {
    const d = o5Synthetic.generate({ nTrain: 100, seed: 2021, pool: "emlp" });
    expect([d.train.n, d.val.n, d.test.n]).toEqual([100, 1000, 5000]);
    expect(Array.from(d.train.y.subarray(0, 2))).toEqual(
      [-11.468190607242974, -14.665294297358551].map(Math.fround),
    );
    expect(d.standardization.outputMean[0]).toBe(Math.fround(-5.692296680379111));
    expect(d.standardization.outputScale[0]).toBe(Math.fround(6.200507755923224));
  });

  it("inertia, other sizes and seed: masses softplus(N(0, 1)) in emlp's column order", () => {
    const d = inertia.generate({
      nTrain: 300,
      nVal: 200,
      nTest: 500,
      poolSize: 2000,
      seed: 5,
      pool: "emlp",
    });
    const want = [
      0.7413401829800109, 1.0423205932677109, 0.17929168840712145, 0.45274972830922394,
      0.46415104986780914, 0.7289968195077091,
    ];
    const got = Array.from(d.val.x.subarray(0, 6));
    for (let i = 0; i < 6; i++) expect(got[i]).toBeCloseTo(want[i] as number, 6);
  });

  it("is the default pool's data no longer, and refuses an unknown pool", () => {
    const a = particleInteraction.generate({ nTrain: 10, poolSize: 7000, seed: 3 });
    const b = particleInteraction.generate({ nTrain: 10, poolSize: 7000, seed: 3, pool: "emlp" });
    expect(a.pool).toBe("isotropy");
    expect(Array.from(a.train.x)).not.toEqual(Array.from(b.train.x));
    expect(() =>
      particleInteraction.generate({ nTrain: 10, seed: 3, pool: "numpy" as "emlp" }),
    ).toThrow(/pool must be "isotropy" or "emlp", got numpy/);
    expect(() =>
      particleInteraction.generate({ nTrain: 10, poolSize: 7000, seed: -1, pool: "emlp" }),
    ).toThrow(InvalidArgumentError);
  });
});
