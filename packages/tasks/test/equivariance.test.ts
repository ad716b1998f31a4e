import { Rng } from "@isotropy/core";
import type { Matrix } from "@isotropy/linalg";
import { parseGroup, parseRep } from "@isotropy/reps";
import { describe, expect, it } from "vitest";
import { CLASSIC_TASKS, type Task } from "../src/index.js";

/** rho applied to each row of a row-major batch. */
function actOnRows(rho: Matrix, x: ArrayLike<number>, n: number): Float64Array {
  const d = rho.rows;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < d; i++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (rho.data[i * d + j] as number) * (x[r * d + j] as number);
      out[r * d + i] = s;
    }
  }
  return out;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

const cases: [Task, string][] = CLASSIC_TASKS.flatMap((t) =>
  t.compatibleGroups.map((g) => [t, g] as [Task, string]),
);

/** max_i |target(rho_in(g) x) - rho_out(g) target(x)|_i, relative to the float64 cancellation scale. */
function equivarianceError(task: Task, groupName: string, outRep = task.repOut): number {
  const group = parseGroup(groupName);
  const repIn = parseRep(task.repIn, group);
  const repOut = parseRep(outRep, group);
  const n = 20;
  const { train } = task.generate({ nTrain: n, nVal: 0, nTest: 0, poolSize: n, seed: 11 });
  const x = Float64Array.from(train.x);
  const y = task.target(x, n);
  const rng = new Rng(`equivariance ${task.name} ${groupName}`);
  let worst = 0;
  for (let k = 0; k < 8; k++) {
    const g = group.sample(rng);
    const gx = actOnRows(repIn.rho(g), x, n);
    const lhs = task.target(gx, n);
    const rhs = repOut.size === task.outputDim ? actOnRows(repOut.rho(g), y, n) : y;
    // Cancellation in float64 grows with the transformed inputs (large Lorentz boosts).
    const scale = Math.max(1, maxAbs(rhs), maxAbs(gx) ** 4);
    for (let i = 0; i < lhs.length; i++) {
      worst = Math.max(worst, Math.abs((lhs[i] as number) - (rhs[i] as number)) / scale);
    }
  }
  return worst;
}

describe("targets are equivariant: target(rho_in(g) x) = rho_out(g) target(x)", () => {
  it.each(cases)("%s under %s", (task, groupName) => {
    const group = parseGroup(groupName);
    expect(group.name).toBe(groupName);
    const repIn = parseRep(task.repIn, group);
    const repOut = parseRep(task.repOut, group);
    expect([repIn.size, repOut.size]).toEqual([task.inputDim, task.outputDim]);
    expect(equivarianceError(task, groupName)).toBeLessThan(1e-12);
  });

  it("the check has teeth: inertia is not invariant (T(2) read as 9*Scalar fails)", () => {
    const inertia = CLASSIC_TASKS.find((t) => t.name === "inertia") as Task;
    expect(equivarianceError(inertia, "O(3)", "9*Scalar")).toBeGreaterThan(1e-3);
  });

  it("scalar outputs are invariant under improper elements (reflections, time reversal)", () => {
    for (const task of CLASSIC_TASKS.filter((t) => t.repOut === "Scalar")) {
      const d = task.groupName === "O(5)" ? 5 : 4;
      const { train } = task.generate({ nTrain: 10, nVal: 0, nTest: 0, poolSize: 10 });
      const y = task.target(train.x, train.n);
      for (let c = 0; c < d; c++) {
        // Flip coordinate c of every vector: an element of O(5) and of O(1,3).
        const flipped = Float64Array.from(train.x, (v, i) => (i % d === c ? -v : v));
        const yf = task.target(flipped, train.n);
        for (let i = 0; i < y.length; i++) expect(yf[i]).toBeCloseTo(y[i] as number, 9);
      }
    }
  });
});
