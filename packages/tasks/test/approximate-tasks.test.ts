import { createRegistry, definePlugin, Rng } from "@isotropy/core";
import { O } from "@isotropy/groups";
import { describe, expect, it } from "vitest";
import {
  approximateTaskEntries,
  modifiedInertia,
  modifiedInertiaTask,
  springGravity,
  springGravityTask,
} from "../src/approximate/index.js";
import { inertia, type Task } from "../src/index.js";

type Mat3 = number[]; // row-major 3 x 3

function rotationAboutZ(t: number, flip = false): Mat3 {
  const c = Math.cos(t);
  const s = Math.sin(t);
  // a rotation about z, optionally followed by the reflection y -> -y (a plane containing z)
  return flip ? [c, -s, 0, -s, -c, 0, 0, 0, 1] : [c, -s, 0, s, c, 0, 0, 0, 1];
}

function randomO3(rng: Rng): Mat3 {
  return Array.from(O(3).sample(rng).data);
}

/** Rotates every position of a [k masses, k positions] row. */
function actOnInput(R: Mat3, x: Float64Array, n: number, k: number): Float64Array {
  const d = 4 * k;
  const out = Float64Array.from(x);
  for (let r = 0; r < n; r++) {
    for (let i = 0; i < k; i++) {
      const p = r * d + k + 3 * i;
      for (let a = 0; a < 3; a++) {
        out[p + a] = R[3 * a]! * x[p]! + R[3 * a + 1]! * x[p + 1]! + R[3 * a + 2]! * x[p + 2]!;
      }
    }
  }
  return out;
}

/** R Y R^T for each row-major 3 x 3 output. */
function actOnT2(R: Mat3, y: Float64Array, n: number): Float64Array {
  const out = new Float64Array(y.length);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < 3; a++) {
      for (let b = 0; b < 3; b++) {
        let s = 0;
        for (let c = 0; c < 3; c++) {
          for (let e = 0; e < 3; e++) s += R[3 * a + c]! * y[r * 9 + 3 * c + e]! * R[3 * b + e]!;
        }
        out[r * 9 + 3 * a + b] = s;
      }
    }
  }
  return out;
}

function relErr(a: Float64Array, b: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i]! - b[i]!) ** 2;
    den += b[i]! ** 2;
  }
  return Math.sqrt(num / den);
}

const N = 50;

function inputs(task: Task, seed = 3): Float64Array {
  return Float64Array.from(
    task.generate({ nTrain: N, nVal: 0, nTest: 0, poolSize: N, seed }).train.x,
  );
}

/** Relative error of the T(2) task under g. */
function inertiaError(task: Task, R: Mat3): number {
  const x = inputs(task);
  return relErr(task.target(actOnInput(R, x, N, 5), N), actOnT2(R, task.target(x, N), N));
}

/** Relative error of the invariant (Scalar) task under g. */
function invarianceError(task: Task, R: Mat3): number {
  const x = inputs(task);
  return relErr(task.target(actOnInput(R, x, N, 4), N), task.target(x, N));
}

describe("modified-inertia", () => {
  it("is the RPP paper's y = I + 0.3 (I e_z) e_z^T", () => {
    const x = new Float64Array(20);
    x[0] = 2; // one mass 2 at r = (1, 2, 3)
    x[5] = 1;
    x[6] = 2;
    x[7] = 3;
    const I = [13, -2, -3, -2, 10, -6, -3, -6, 5].map((v) => 2 * v);
    const y = modifiedInertia.target(x, 1);
    const want = I.map((v, i) => (i % 3 === 2 ? 1.3 * v : v));
    for (let i = 0; i < 9; i++) expect(y[i]).toBeCloseTo(want[i]!, 12);
    expect(modifiedInertia).toMatchObject({
      name: "modified-inertia",
      groupName: "O(3)",
      repIn: "5*Scalar + 5*V",
      repOut: "T(2)",
    });
  });

  it("at strength 0 is inertia exactly (same inputs, same targets)", () => {
    const a = modifiedInertiaTask({ strength: 0 }).generate({
      nTrain: 30,
      nVal: 10,
      nTest: 20,
      poolSize: 60,
      seed: 5,
    });
    const b = inertia.generate({ nTrain: 30, nVal: 10, nTest: 20, poolSize: 60, seed: 5 });
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    expect(Array.from(a.train.y)).toEqual(Array.from(b.train.y));
    expect(Array.from(a.test.y)).toEqual(Array.from(b.test.y));
  });

  it("breaks O(3) measurably and keeps the axis stabilizer exactly", () => {
    const rng = new Rng("modified-inertia");
    for (let k = 0; k < 4; k++) {
      const R = randomO3(rng);
      expect(inertiaError(inertia, R)).toBeLessThan(1e-12);
      expect(inertiaError(modifiedInertia, R)).toBeGreaterThan(0.02);
    }
    expect(inertiaError(modifiedInertia, rotationAboutZ(0.7))).toBeLessThan(1e-12);
    expect(inertiaError(modifiedInertia, rotationAboutZ(2.1, true))).toBeLessThan(1e-12);
    expect(inertiaError(modifiedInertia, [1, 0, 0, 0, 1, 0, 0, 0, -1])).toBeLessThan(1e-12);
    // the breaking grows with the strength
    const R = randomO3(rng);
    expect(inertiaError(modifiedInertiaTask({ strength: 0.1 }), R)).toBeLessThan(
      inertiaError(modifiedInertiaTask({ strength: 0.3 }), R),
    );
  });
});

describe("spring-gravity", () => {
  it("matches a hand-computed energy", () => {
    const x = new Float64Array(16);
    x.set([1, 2, 0, 0], 0); // masses
    x.set([0, 0, 1], 4); // r1 = (0,0,1)
    x.set([2, 0, 1], 7); // r2 = (2,0,1): |r1 - r2| = 2
    x.set([2, 0, 0], 10); // r3 = (2,0,0): |r2 - r3| = 1
    x.set([0, 0, 0], 13); // r4 = 0: |r3 - r4| = 2, |r4 - r1| = 1
    // springs: ½ (1 + 0 + 1 + 0) = 1; field: 0.5 (1 * 1 + 2 * 1) = 1.5
    expect(springGravity.target(x, 1)[0]).toBeCloseTo(2.5, 12);
    expect(springGravity).toMatchObject({ repIn: "4*Scalar + 4*V", repOut: "Scalar" });
  });

  it("is O(3)-invariant without the field, O(2)-invariant with it, and not O(3)-invariant", () => {
    const rng = new Rng("spring-gravity");
    const free = springGravityTask({ strength: 0 });
    for (let k = 0; k < 4; k++) {
      const R = randomO3(rng);
      expect(invarianceError(free, R)).toBeLessThan(1e-12);
      expect(invarianceError(springGravity, R)).toBeGreaterThan(0.02);
    }
    expect(invarianceError(springGravity, rotationAboutZ(1.1))).toBeLessThan(1e-12);
    expect(invarianceError(springGravity, rotationAboutZ(0.4, true))).toBeLessThan(1e-12);
    expect(invarianceError(springGravity, [1, 0, 0, 0, 1, 0, 0, 0, -1])).toBeGreaterThan(0.02);
  });
});

describe("registry entries", () => {
  it("create the tasks with their strength and refuse a non-finite one", () => {
    const registry = createRegistry().use(
      definePlugin({
        name: "approximate-tasks-test",
        version: "0.0.0",
        apiVersion: "^1",
        tasks: approximateTaskEntries,
      }),
    );
    const t = registry.create<Task>("tasks", "modified-inertia", { strength: 0 });
    expect(inertiaError(t, randomO3(new Rng(1)))).toBeLessThan(1e-12);
    const d = registry.create<Task>("tasks", "modified-inertia");
    expect(Array.from(d.target(inputs(d), N))).toEqual(
      Array.from(modifiedInertia.target(inputs(d), N)),
    );
    expect(registry.create<Task>("tasks", "spring-gravity").name).toBe("spring-gravity");
    expect(() => registry.create("tasks", "spring-gravity", { strength: "x" })).toThrow(/strength/);
    expect(() => modifiedInertiaTask({ strength: Number.NaN })).toThrow(/strength/);
  });
});
