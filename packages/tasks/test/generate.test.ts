import { InvalidArgumentError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  CLASSIC_TASKS,
  DEFAULT_N_TEST,
  DEFAULT_N_VAL,
  DEFAULT_POOL_SIZE,
  o5Synthetic,
  particleInteraction,
  type Split,
} from "../src/index.js";

function rows(s: Split, dim: number): string[] {
  const out: string[] = [];
  for (let r = 0; r < s.n; r++)
    out.push(Array.from(s.x.subarray(r * dim, (r + 1) * dim)).join(","));
  return out;
}

describe("generate: sizes and splits", () => {
  it.each(CLASSIC_TASKS.map((t) => [t.name, t] as const))(
    "%s: splits have the requested sizes and are disjoint",
    (_, task) => {
      const data = task.generate({ nTrain: 300, nVal: 100, nTest: 200, poolSize: 1000, seed: 1 });
      for (const [split, n] of [
        [data.train, 300],
        [data.val, 100],
        [data.test, 200],
      ] as const) {
        expect(split.n).toBe(n);
        expect(split.x).toBeInstanceOf(Float32Array);
        expect(split.y).toBeInstanceOf(Float32Array);
        expect(split.x.length).toBe(n * task.inputDim);
        expect(split.y.length).toBe(n * task.outputDim);
      }
      const all = [data.train, data.val, data.test].flatMap((s) => rows(s, task.inputDim));
      expect(new Set(all).size).toBe(600);
      expect(data.seed).toBe(1);
    },
  );

  it("uses emlp's defaults: pool 36,000, validation 1,000, test 5,000", () => {
    expect([DEFAULT_POOL_SIZE, DEFAULT_N_VAL, DEFAULT_N_TEST]).toEqual([36_000, 1_000, 5_000]);
    const data = o5Synthetic.generate({ nTrain: 100 });
    expect([data.train.n, data.val.n, data.test.n, data.seed]).toEqual([100, 1000, 5000, 0]);
  });

  it("takes the shuffled pool in order: train, then val, then test (training sets are nested)", () => {
    const small = particleInteraction.generate({
      nTrain: 100,
      nVal: 50,
      nTest: 50,
      poolSize: 2000,
      seed: 9,
    });
    const large = particleInteraction.generate({
      nTrain: 1000,
      nVal: 50,
      nTest: 50,
      poolSize: 2000,
      seed: 9,
    });
    expect(large.train.x.subarray(0, 100 * 16)).toEqual(small.train.x);
    // small's validation split is the next 50 samples of the same shuffled pool
    expect(large.train.x.subarray(100 * 16, 150 * 16)).toEqual(small.val.x);
  });
});

describe("generate: determinism", () => {
  it("same seed, same data; different seed, different data", () => {
    const opts = { nTrain: 200, nVal: 50, nTest: 50, poolSize: 500 };
    for (const task of CLASSIC_TASKS) {
      const a = task.generate({ ...opts, seed: 42 });
      const b = task.generate({ ...opts, seed: 42 });
      const c = task.generate({ ...opts, seed: 43 });
      expect(b).toEqual(a);
      expect(c.train.x).not.toEqual(a.train.x);
      expect(c.test.y).not.toEqual(a.test.y);
      // inertia has no standardization (all ones and zeros), the others depend on the pool
      if (task.name !== "inertia") expect(c.standardization).not.toEqual(a.standardization);
    }
  });
});

describe("generate: bad sizes", () => {
  it("rejects nTrain + nVal + nTest > poolSize, saying what to change", () => {
    const call = () => o5Synthetic.generate({ nTrain: 31_000 });
    expect(call).toThrow(InvalidArgumentError);
    expect(call).toThrow(
      /exceeds poolSize 36,000: lower nTrain to at most 30,000, or raise poolSize to at least 37,000/,
    );
  });

  it("rejects sizes that are not counts and seeds that are not integers", () => {
    for (const opts of [
      { nTrain: 0 },
      { nTrain: -5 },
      { nTrain: 1.5 },
      { nTrain: Number.NaN },
      { nTrain: 10, nVal: -1 },
      { nTrain: 10, poolSize: 0 },
      { nTrain: 10, seed: 0.5 },
      { nTrain: 10, seed: Number.POSITIVE_INFINITY },
    ]) {
      expect(() => o5Synthetic.generate(opts)).toThrow(InvalidArgumentError);
    }
    expect(() => o5Synthetic.generate({ nTrain: 1.5 })).toThrow(
      /nTrain must be an integer >= 1, got 1.5/,
    );
  });

  it("allows empty validation and test splits", () => {
    const data = o5Synthetic.generate({ nTrain: 5, nVal: 0, nTest: 0, poolSize: 5 });
    expect([data.val.n, data.test.n, data.val.x.length]).toEqual([0, 0, 0]);
  });
});
