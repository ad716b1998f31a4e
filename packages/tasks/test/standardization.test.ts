import { Rng } from "@isotropy/core";
import { parseGroup, parseRep } from "@isotropy/reps";
import { describe, expect, it } from "vitest";
import {
  inertia,
  o5Synthetic,
  particleInteraction,
  type Split,
  standardizeInputs,
  standardizeOutputs,
  type Task,
  type TaskData,
  unstandardizeOutputs,
} from "../src/index.js";

const N = 3000;

/** The whole pool, visible when poolSize = nTrain + nVal + nTest. */
function wholePool(task: Task): { data: TaskData; x: Float64Array; y: Float64Array; n: number } {
  const data = task.generate({ nTrain: 2000, nVal: 500, nTest: 500, poolSize: N, seed: 5 });
  const parts: Split[] = [data.train, data.val, data.test];
  const x = Float64Array.from(parts.flatMap((s) => Array.from(s.x)));
  const y = Float64Array.from(parts.flatMap((s) => Array.from(s.y)));
  return { data, x, y, n: N };
}

function directMeanStd(y: Float64Array): [number, number] {
  const mean = y.reduce((a, b) => a + b, 0) / y.length;
  const variance = y.reduce((a, b) => a + (b - mean) ** 2, 0) / y.length;
  return [mean, Math.sqrt(variance)];
}

describe("standardization statistics of the whole pool", () => {
  it("o5-synthetic: each 5-vector by its RMS entry, output by mean and std", () => {
    const { data, x, y } = wholePool(o5Synthetic);
    const s = data.standardization;
    for (const block of [0, 1]) {
      let sq = 0;
      for (let r = 0; r < N; r++)
        for (let c = 0; c < 5; c++) sq += (x[r * 10 + 5 * block + c] as number) ** 2;
      const expected = Math.sqrt(sq / (5 * N));
      for (let c = 0; c < 5; c++) expect(s.inputScale[5 * block + c]).toBeCloseTo(expected, 5);
      expect(expected).toBeCloseTo(1, 1); // N(0,1) entries
    }
    const [mean, std] = directMeanStd(y);
    expect(s.outputMean[0]).toBeCloseTo(mean, 3);
    expect((s.outputScale[0] as number) / std).toBeCloseTo(1, 5);
  });

  it("particle-interaction: each 4-vector by sqrt(mean_samples mean_components |(x eta) . x|)", () => {
    const { data, x, y } = wholePool(particleInteraction);
    const s = data.standardization;
    const eta = [1, -1, -1, -1];
    for (let k = 0; k < 4; k++) {
      let acc = 0;
      for (let r = 0; r < N; r++) {
        let m = 0;
        for (let c = 0; c < 4; c++) {
          const v = x[r * 16 + 4 * k + c] as number;
          m += Math.abs(v * (eta[c] as number) * v);
        }
        acc += m / 4;
      }
      const expected = Math.sqrt(acc / N);
      for (let c = 0; c < 4; c++) expect(s.inputScale[4 * k + c]).toBeCloseTo(expected, 5);
      expect(expected).toBeCloseTo(0.25, 1); // N(0,1)/4 entries
    }
    const [mean, std] = directMeanStd(y);
    expect(s.outputMean[0]).toBeCloseTo(mean, 4);
    expect((s.outputScale[0] as number) / std).toBeCloseTo(1, 5);
  });

  it("inertia: none (scale 1, mean 0)", () => {
    const s = inertia.generate({ nTrain: 10, nVal: 0, nTest: 0, poolSize: 10 }).standardization;
    expect(Array.from(s.inputScale)).toEqual(new Array(20).fill(1));
    expect(Array.from(s.outputMean)).toEqual(new Array(9).fill(0));
    expect(Array.from(s.outputScale)).toEqual(new Array(9).fill(1));
  });

  it("comes from the pool, not from the training split alone", () => {
    const a = o5Synthetic.generate({
      nTrain: 10,
      nVal: 0,
      nTest: 0,
      poolSize: 2000,
    }).standardization;
    const b = o5Synthetic.generate({
      nTrain: 1000,
      nVal: 0,
      nTest: 0,
      poolSize: 2000,
    }).standardization;
    expect(a).toEqual(b);
  });
});

describe("standardization keeps equivariance", () => {
  it.each([
    [o5Synthetic, "O(5)"],
    [inertia, "O(3)"],
    [particleInteraction, "O(1,3)"],
  ] as [Task, string][])(
    "%s: diag(inputScale) commutes with rho_in(g); outputs shift only on scalars",
    (task, groupName) => {
      const group = parseGroup(groupName);
      const repIn = parseRep(task.repIn, group);
      const s = task.generate({ nTrain: 500, nVal: 0, nTest: 0, poolSize: 500 }).standardization;
      const d = task.inputDim;
      const rng = new Rng(`standardization ${task.name}`);
      for (let k = 0; k < 3; k++) {
        const rho = repIn.rho(group.sample(rng)).data;
        for (let i = 0; i < d; i++) {
          for (let j = 0; j < d; j++) {
            // (rho D)_ij = rho_ij D_j and (D rho)_ij = D_i rho_ij: equal iff D is constant on blocks.
            const r = rho[i * d + j] as number;
            const lhs = r * (s.inputScale[j] as number);
            const rhs = (s.inputScale[i] as number) * r;
            expect(Math.abs(lhs - rhs)).toBeLessThan(1e-12);
          }
        }
      }
      // Output mean only on invariant outputs: the classic tasks shift only Scalar outputs.
      if (task.repOut !== "Scalar")
        expect(Array.from(s.outputMean).every((v) => v === 0)).toBe(true);
      const repOut = parseRep(task.repOut, group);
      const first = s.outputScale[0] as number;
      if (repOut.size > 1) expect(Array.from(s.outputScale).every((v) => v === first)).toBe(true);
    },
  );
});

describe("applying a standardization", () => {
  it("divides inputs, shifts and scales outputs, and inverts back to original units", () => {
    const { train, standardization: s } = o5Synthetic.generate({
      nTrain: 50,
      nVal: 0,
      nTest: 0,
      poolSize: 50,
    });
    const xs = standardizeInputs(train.x, train.n, s);
    expect(xs[7]).toBeCloseTo((train.x[7] as number) / (s.inputScale[7] as number), 6);
    const ys = standardizeOutputs(train.y, train.n, s);
    expect(ys[3]).toBeCloseTo(
      ((train.y[3] as number) - (s.outputMean[0] as number)) / (s.outputScale[0] as number),
      5,
    );
    const back = unstandardizeOutputs(ys, train.n, s);
    for (let i = 0; i < train.n; i++) expect(back[i]).toBeCloseTo(train.y[i] as number, 4);
    expect(() => standardizeInputs(train.x, train.n + 1, s)).toThrow(/expected shape/);
  });
});
