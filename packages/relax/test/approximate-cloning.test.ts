import "@tensorflow/tfjs-backend-cpu";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRegistry, definePlugin, InvalidArgumentError, rng } from "@isotropy/core";
import { O, SO } from "@isotropy/groups";
import { EMLP, MLP, modelEquivarianceError } from "@isotropy/layers";
import { registerGradients, saveWeights } from "@isotropy/layers/node";
import { Scalar, T, V } from "@isotropy/reps";
import * as tf from "@tensorflow/tfjs-core";
import { beforeAll, describe, expect, it } from "vitest";
import { cloningRate, equivarianceWeightAt } from "../src/approximate/cloning-schedules.js";
import { chunkCount, equivarianceDefect, movedBy } from "../src/approximate/equivariance-defect.js";
import {
  ADAPTER_RATE,
  approximateStrategies,
  ClonedMLP,
  type CloneOptions,
  cloneSymmetry,
  cloningStrategy,
  fitTeacher,
  importCloned,
  SymmetryMismatchError,
} from "../src/approximate/index.js";
import type { Strategy } from "../src/strategy.js";

beforeAll(async () => {
  await registerGradients();
  await tf.setBackend("cpu");
  await tf.ready();
});

// A small problem: O(3), 2 vectors -> a vector (6 -> 3 features).
const o3 = O(3);
const repIn = V(o3).times(2);
const repOut = V(o3);
// A random teacher cloned into a one-layer student, quickly (a fresh rng each time).
const smallClone = () => ({
  group: o3,
  repIn,
  repOut,
  rng: rng(1),
  channels: 32,
  layers: 1,
  teacherChannels: 8,
  batchSize: 64,
  learningRate: 1e-2,
});

describe("cloning phase", () => {
  it("drives the student's equivariance error down monotonically (single teacher)", () => {
    const { student, report } = cloneSymmetry({
      ...smallClone(),
      steps: 300,
      checkpoints: [0, 50, 300],
    });
    const errs = report.history.map((h) => h.equivarianceError);
    expect(report.history.map((h) => h.step)).toEqual([0, 50, 300]);
    expect(errs[1]!).toBeLessThan(errs[0]!);
    expect(errs[2]!).toBeLessThan(errs[1]!);
    expect(report.history[2]!.loss).toBeLessThan(report.history[0]!.loss);
    expect(report.equivarianceError).toBeLessThan(report.plainEquivarianceError / 3);
    expect(student).toBeInstanceOf(ClonedMLP);
    expect(student.metadata()).toMatchObject({ kind: "ClonedMLP", group: "O(3)", mode: "single" });
    student.dispose();
  });

  it("the equivariance defect is zero for an EMLP, positive for an MLP, and a step on it lowers it", () => {
    const r = rng(21);
    const x = tf.tensor2d(Float32Array.from(r.normals(64 * 6)), [64, 6]);
    const g = movedBy([o3.sample(r)], repIn, repOut);
    const emlp = new EMLP(repIn, repOut, o3, { channels: 8, layers: 1, rng: rng(22) });
    const mlp = new MLP(6, 3, { channels: 16, layers: 1, rng: rng(23) });
    const defectOf = (f: (z: tf.Tensor2D) => tf.Tensor2D) =>
      tf.tidy(() => equivarianceDefect(f, x, g).dataSync()[0]!);
    const scale = tf.tidy(() => tf.mean(tf.square(emlp.apply(x))).dataSync()[0]!);
    expect(defectOf((z) => emlp.apply(z))).toBeLessThan(1e-10 * Math.max(1, scale) + 1e-10);
    const before = defectOf((z) => mlp.apply(z));
    expect(before).toBeGreaterThan(1e-3);
    // by hand on one row: ||f(rho_in x) - rho_out f(x)||² / 3
    const row = tf.slice(x, [0, 0], [1, 6]) as tf.Tensor2D;
    const byHand = tf.tidy(() => {
      const moved = mlp.apply(
        tf.matMul(row, tf.reshape(g.rhoIn, [6, 6]) as tf.Tensor2D, false, true),
      );
      const turned = tf.matMul(
        mlp.apply(row),
        tf.reshape(g.rhoOut, [3, 3]) as tf.Tensor2D,
        false,
        true,
      );
      return tf.mean(tf.square(tf.sub(moved, turned))).dataSync()[0]!;
    });
    expect(
      tf.tidy(() => equivarianceDefect((z) => mlp.apply(z), row, g).dataSync()[0]!),
    ).toBeCloseTo(byHand, 6);
    // two elements: the first half of the rows moved by the first, the rest by the second
    const g2 = movedBy([o3.sample(r), o3.sample(r)], repIn, repOut);
    const half = (k: number) => tf.slice(x, [32 * k, 0], [32, 6]) as tf.Tensor2D;
    const single = (k: number) => ({
      rhoIn: tf.slice(g2.rhoIn, [k, 0, 0], [1, 6, 6]) as tf.Tensor3D,
      rhoOut: tf.slice(g2.rhoOut, [k, 0, 0], [1, 3, 3]) as tf.Tensor3D,
    });
    const f = (z: tf.Tensor2D) => mlp.apply(z);
    const both = tf.tidy(() => equivarianceDefect(f, x, g2).dataSync()[0]!);
    const halves = tf.tidy(
      () =>
        (equivarianceDefect(f, half(0), single(0)).dataSync()[0]! +
          equivarianceDefect(f, half(1), single(1)).dataSync()[0]!) /
        2,
    );
    expect(both).toBeCloseTo(halves, 6);
    expect(() => equivarianceDefect(f, tf.slice(x, [0, 0], [5, 6]) as tf.Tensor2D, g2)).toThrow(
      /5 rows do not split into 2 equal chunks/,
    );
    expect([
      chunkCount(512, 16),
      chunkCount(500, 16),
      chunkCount(7, 16),
      chunkCount(3, 16),
    ]).toEqual([16, 10, 7, 3]);
    expect(chunkCount(13 * 17, 16)).toBe(13);
    expect(chunkCount(17 * 19, 16)).toBe(1);
    tf.dispose([g2.rhoIn, g2.rhoOut]);
    const vars = mlp.weights().map((w) => w.variable);
    const optimizer = tf.train.sgd(0.05);
    for (let k = 0; k < 20; k++) {
      optimizer.minimize(() => equivarianceDefect((z) => mlp.apply(z), x, g), false, vars);
    }
    expect(defectOf((z) => mlp.apply(z))).toBeLessThan(0.5 * before);
    optimizer.dispose();
    emlp.dispose();
    mlp.dispose();
    tf.dispose([x, row, g.rhoIn, g.rhoOut]);
    expect(() =>
      cloneSymmetry({ group: o3, repIn, repOut, rng: rng(1), equivarianceWeight: -1 }),
    ).toThrow(/equivarianceWeight/);
  });

  it("cloning with the equivariance term runs, and its student is far more equivariant than a plain MLP", () => {
    const { student, report } = cloneSymmetry({
      ...smallClone(),
      steps: 200,
      equivarianceWeight: 3,
      schedule: "cosine",
    });
    expect(report.equivarianceError).toBeLessThan(report.plainEquivarianceError / 10);
    student.dispose();
  });

  it("the cosine schedule falls from the base rate to near 0, and unknown schedules are refused", () => {
    expect(cloningRate(3e-3, 1, 100, "constant")).toBe(3e-3);
    expect(cloningRate(3e-3, 100, 100, "constant")).toBe(3e-3);
    expect(cloningRate(3e-3, 1, 100, "cosine")).toBeCloseTo(3e-3, 12);
    expect(cloningRate(3e-3, 51, 100, "cosine")).toBeCloseTo(1.5e-3, 12);
    const last = cloningRate(3e-3, 100, 100, "cosine");
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(3e-3 * 1e-3);
    for (let s = 2; s <= 100; s++) {
      expect(cloningRate(3e-3, s, 100, "cosine")).toBeLessThan(
        cloningRate(3e-3, s - 1, 100, "cosine"),
      );
    }
    const bad = { schedule: "linear", equivarianceSchedule: "cosine" } as unknown as CloneOptions;
    expect(() =>
      cloneSymmetry({ group: o3, repIn, repOut, rng: rng(1), schedule: bad.schedule! }),
    ).toThrow(/^schedule must be "constant" or "cosine", got "linear"/);
    expect(() =>
      cloneSymmetry({
        group: o3,
        repIn,
        repOut,
        rng: rng(1),
        equivarianceSchedule: bad.equivarianceSchedule!,
      }),
    ).toThrow(/equivarianceSchedule must be "constant" or "linear", got "cosine"/);
    expect(() => cloneSymmetry({ group: o3, repIn, repOut, rng: rng(1), learningRate: 0 })).toThrow(
      /learningRate must be a positive number/,
    );
  });

  it("the linear equivariance weight rises from near 0 to the full weight, and its clone keeps the symmetry", () => {
    expect(equivarianceWeightAt(30, 1, 100, "constant")).toBe(30);
    expect(equivarianceWeightAt(30, 1, 100, "linear")).toBeCloseTo(0.3, 12);
    expect(equivarianceWeightAt(30, 50, 100, "linear")).toBeCloseTo(15, 12);
    expect(equivarianceWeightAt(30, 100, 100, "linear")).toBe(30);
    const { student, report } = cloneSymmetry({
      ...smallClone(),
      steps: 200,
      equivarianceWeight: 10,
      equivarianceSchedule: "linear",
      schedule: "cosine",
    });
    expect(report.equivarianceError).toBeLessThan(report.plainEquivarianceError / 10);
    student.dispose();
  });

  it("init mode starts from the teacher's first layer and family mode learns with a code", () => {
    const init = cloneSymmetry({
      group: o3,
      repIn,
      repOut,
      rng: rng(2),
      mode: "init",
      channels: 16,
      layers: 1,
      teacherChannels: 8,
      steps: 20,
      learningRate: 1e-2,
      checkpoints: [20],
    });
    expect(init.report.history[0]!.equivarianceError).toBeLessThan(
      init.report.plainEquivarianceError,
    );
    init.student.dispose();
    const family = cloneSymmetry({
      group: o3,
      repIn,
      repOut,
      rng: rng(3),
      mode: "family",
      poolSize: 4,
      channels: 16,
      layers: 1,
      teacherChannels: 8,
      steps: 60,
      learningRate: 1e-2,
      checkpoints: [0, 60],
    });
    const s = family.student;
    expect(s.code).not.toBeNull();
    expect(s.weights().map((w) => w.name)).toContain("code");
    expect(s.mlp.inputSize).toBe(repIn.size + s.code!.size);
    expect(family.report.history[1]!.loss).toBeLessThan(family.report.history[0]!.loss);
    s.dispose();
  });

  it("refuses a teacher whose reps do not match the student's", () => {
    const teacher = new EMLP(repIn, T(o3, 2), o3, { channels: 8, layers: 1, rng: rng(4) });
    const run = () =>
      cloneSymmetry({ group: o3, repIn, repOut, rng: rng(5), teacher, steps: 1, channels: 8 });
    expect(run).toThrow(SymmetryMismatchError);
    expect(run).toThrow(/T\(2\)|V\*\*2|V⊗V/);
    expect(run).toThrow(InvalidArgumentError);
    teacher.dispose();
    // A teacher for another group, a student MLP of the wrong size, a negative lambda.
    const so3 = SO(3);
    const foreign = new EMLP(V(so3).times(2), V(so3), so3, { channels: 8, layers: 1, rng: rng(4) });
    expect(() =>
      cloneSymmetry({ group: o3, repIn, repOut, rng: rng(5), teacher: foreign, steps: 1 }),
    ).toThrow(/SO\(3\)/);
    foreign.dispose();
    const mlp = new MLP(5, 3, { channels: 4, layers: 1, rng: rng(5) });
    expect(() => new ClonedMLP(mlp, { group: o3, repIn, repOut, mode: "single" })).toThrow(
      SymmetryMismatchError,
    );
    mlp.dispose();
    expect(() =>
      cloneSymmetry({ group: o3, repIn, repOut, rng: rng(5), lambda: -1, steps: 1, channels: 4 }),
    ).toThrow(/lambda/);
  });
});

describe("downstream phase", () => {
  it("the penalty pulls the weights to the cloned ones as lambda grows", () => {
    const { student } = cloneSymmetry({
      group: o3,
      repIn,
      repOut,
      rng: rng(6),
      channels: 16,
      layers: 1,
      teacherChannels: 8,
      steps: 20,
    });
    const bytes = (() => {
      const dir = mkdtempSync(join(tmpdir(), "clone-"));
      const file = join(dir, "clone.safetensors");
      saveWeights(student, file);
      return readFileSync(file);
    })();
    // A non-equivariant downstream target: y = the first input vector's (x, y, 0) components.
    const r = rng(7);
    const x = tf.tensor2d(Float32Array.from(r.normals(64 * 6)), [64, 6]);
    const y = tf.mul(tf.slice(x, [0, 0], [64, 3]), tf.tensor1d([1, 1, 0]));
    const distances: number[] = [];
    for (const lambda of [0, 1, 100]) {
      const m = importCloned(bytes, { group: o3, repIn, repOut, lambda });
      expect(m.lambda).toBe(lambda);
      const opt = tf.train.adam(1e-2);
      const vars = m.weights().map((w) => w.variable);
      for (let i = 0; i < 40; i++) {
        opt.minimize(
          () => tf.add(tf.losses.meanSquaredError(y, m.apply(x)), m.penalty()) as tf.Scalar,
          false,
          vars,
        );
      }
      distances.push(tf.tidy(() => m.squaredDistanceToClone().dataSync()[0]!));
      opt.dispose();
      m.dispose();
    }
    expect(distances[0]!).toBeGreaterThan(distances[1]!);
    expect(distances[1]!).toBeGreaterThan(distances[2]!);
    expect(() => student.setLambda(-1)).toThrow(/lambda/);
    tf.dispose([x, y]);
    student.dispose();
  });

  it("output adapters are equivariant and not penalised", () => {
    // Output T(2) of O(3): its invariant vectors are the multiples of the identity (trace part).
    const repT = T(o3, 2);
    const { student } = cloneSymmetry({
      group: o3,
      repIn,
      repOut: repT,
      rng: rng(11),
      channels: 8,
      layers: 1,
      teacherChannels: 8,
      steps: 5,
    });
    const a = student.adapters!;
    expect(a.offset!.size).toBe(1);
    const basis = Array.from(a.basis!.dataSync());
    const s3 = 1 / Math.sqrt(3);
    expect(basis.map((v) => Math.abs(v))).toEqual(
      [s3, 0, 0, 0, s3, 0, 0, 0, s3].map((v) => expect.closeTo(v, 5)),
    );
    const probe = { x: Float32Array.from(rng(12).normals(32 * 6)), n: 32 };
    const before = modelEquivarianceError(student, repIn, repT, probe, rng(13));
    expect(before).toBeGreaterThan(1e-3);
    // Gain exp(-30 * 1) ~ 1e-13 silences the MLP: what is left, the offset, is exactly invariant.
    a.gain.assign(tf.tensor1d([-1]));
    a.offset!.assign(tf.tensor1d([0.7]));
    expect(modelEquivarianceError(student, repIn, repT, probe, rng(13))).toBeLessThan(1e-5);
    // The gain is a scalar multiple exp(ADAPTER_RATE g) of the MLP's output.
    const x = tf.tensor2d(probe.x, [32, 6]);
    a.offset!.assign(tf.tensor1d([0]));
    a.gain.assign(tf.tensor1d([0]));
    const y0 = tf.tidy(() => Array.from(student.apply(x).dataSync()));
    a.gain.assign(tf.tensor1d([0.05]));
    const y1 = tf.tidy(() => Array.from(student.apply(x).dataSync()));
    expect(y1).toEqual(y0.map((v) => expect.closeTo(v * Math.exp(ADAPTER_RATE * 0.05), 4)));
    x.dispose();
    expect(tf.tidy(() => student.penalty().dataSync()[0])).toBe(0);
    student.dispose();
  });

  it("saves and loads a cloned student with its group and reps checked", () => {
    const { student } = cloneSymmetry({
      group: o3,
      repIn,
      repOut,
      rng: rng(8),
      channels: 8,
      layers: 1,
      teacherChannels: 8,
      steps: 5,
    });
    const dir = mkdtempSync(join(tmpdir(), "clone-"));
    const file = join(dir, "clone.safetensors");
    student.adapters!.gain.assign(tf.tensor1d([0.02]));
    saveWeights(student, file);
    const bytes = readFileSync(file);
    const loaded = importCloned(bytes, { group: o3, repIn, repOut });
    expect(loaded.adapters?.gain.dataSync()[0]).toBeCloseTo(0.02, 6);
    expect(loaded.metadata().adapters).toBe("1");
    const probe = { x: Float32Array.from(rng(9).normals(16 * 6)), n: 16 };
    const a = tf.tidy(() => student.apply(tf.tensor2d(probe.x, [16, 6])).dataSync());
    const b = tf.tidy(() => loaded.apply(tf.tensor2d(probe.x, [16, 6])).dataSync());
    expect(Array.from(b)).toEqual(Array.from(a));
    expect(tf.tidy(() => loaded.penalty().dataSync()[0])).toBe(0);
    expect(modelEquivarianceError(loaded, repIn, repOut, probe, rng(1))).toBeGreaterThan(0);
    const so3 = SO(3);
    const other = () => importCloned(bytes, { group: so3, repIn: V(so3).times(2), repOut: V(so3) });
    expect(other).toThrow(SymmetryMismatchError);
    expect(other).toThrow(/O\(3\).*SO\(3\)/);
    expect(() => importCloned(bytes, { group: o3, repIn, repOut: Scalar(o3) })).toThrow(
      SymmetryMismatchError,
    );
    loaded.dispose();
    student.dispose();
  });
});

describe("strategy entries", () => {
  it("create rpp and cloning and refuse negative penalties by name", async () => {
    const registry = createRegistry().use(
      definePlugin({
        name: "approximate-test",
        version: "0.0.0",
        apiVersion: "^1",
        strategies: approximateStrategies,
      }),
    );
    const s = registry.create<Strategy>("strategies", "cloning", { steps: 5, lambda: 3 });
    expect(s).toMatchObject({ name: "cloning", exactlyEquivariant: false });
    const m = (await s.build({
      group: o3,
      repIn,
      repOut,
      channels: 8,
      layers: 1,
      rng: rng(10),
    })) as ClonedMLP;
    expect(m.lambda).toBe(3);
    expect(m.adapters).not.toBeNull();
    m.dispose();
    const bare = (await registry
      .create<Strategy>("strategies", "cloning", { steps: 2, adapters: "false" })
      .build({ group: o3, repIn, repOut, channels: 8, layers: 1, rng: rng(10) })) as ClonedMLP;
    expect(bare.adapters).toBeNull();
    expect(bare.weights().some((w) => w.name.startsWith("adapter"))).toBe(false);
    bare.dispose();
    expect(() => registry.create("strategies", "cloning", { lambda: -1 })).toThrow(/lambda/);
    expect(() => registry.create("strategies", "rpp", { lambdaFree: -1 })).toThrow(/lambdaFree/);
    expect(() => registry.create("strategies", "rpp", { lambdaEquiv: -1 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => cloningStrategy({ lambda: -2 })).toThrow(InvalidArgumentError);
    expect(() => registry.create("strategies", "cloning", { equivarianceWeight: -1 })).toThrow(
      /equivarianceWeight/,
    );
    expect(() => registry.create("strategies", "cloning", { schedule: "linear" })).toThrow(
      /schedule/,
    );
    expect(() => cloningStrategy({ equivarianceWeight: -1 })).toThrow(/equivarianceWeight/);
    expect(() =>
      registry.create("strategies", "cloning", { equivarianceSchedule: "cosine" }),
    ).toThrow(/equivarianceSchedule/);
    expect(() => registry.create("strategies", "cloning", { defectElements: 0 })).toThrow(
      /defectElements/,
    );
    const held = (await registry
      .create<Strategy>("strategies", "cloning", {
        steps: 3,
        schedule: "cosine",
        equivarianceWeight: 2,
        equivarianceSchedule: "linear",
        defectElements: 4,
      })
      .build({ group: o3, repIn, repOut, channels: 8, layers: 1, rng: rng(10) })) as ClonedMLP;
    expect(held).toBeInstanceOf(ClonedMLP);
    held.dispose();
  });
});

describe("cloning from a trained teacher", () => {
  // Data of an equivariant target: y = (x1 . x2) x1 for x = [x1, x2], 200 samples.
  const data = () => {
    const r = rng(11);
    const n = 200;
    const xs = Float32Array.from(r.normals(n * 6));
    const ys = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) {
      const x = xs.subarray(i * 6, i * 6 + 6);
      const dot = x[0]! * x[3]! + x[1]! * x[4]! + x[2]! * x[5]!;
      for (let k = 0; k < 3; k++) ys[i * 3 + k] = dot * x[k]!;
    }
    return { x: tf.tensor2d(xs, [n, 6]), y: tf.tensor2d(ys, [n, 3]), xs };
  };

  it("fitTeacher lowers the teacher's training MSE and rejects mismatched data", () => {
    const { x, y } = data();
    const teacher = new EMLP(repIn, repOut, o3, { channels: 16, layers: 1, rng: rng(2) });
    const before = tf.tidy(() => tf.losses.meanSquaredError(y, teacher.apply(x)).dataSync()[0]!);
    const after = fitTeacher(
      teacher,
      { x, y },
      { epochs: 100, batchSize: 50, learningRate: 1e-2, rng: rng(3) },
    );
    expect(after).toBeLessThan(0.5 * before);
    expect(() =>
      fitTeacher(teacher, { x, y: tf.zeros([3, 3]) as tf.Tensor2D }, { epochs: 1, rng: rng(3) }),
    ).toThrow(/as many targets as inputs/);
    expect(() => fitTeacher(teacher, { x, y }, { epochs: -1, rng: rng(3) })).toThrow(
      /teacherEpochs/,
    );
    teacher.dispose();
    tf.dispose([x, y]);
  });

  it("clones on the orbits of given inputs: the student is far more equivariant than a plain MLP", () => {
    const { x, y, xs } = data();
    const teacher = new EMLP(repIn, repOut, o3, { channels: 16, layers: 1, rng: rng(2) });
    fitTeacher(teacher, { x, y }, { epochs: 30, batchSize: 50, rng: rng(3) });
    const { student, report } = cloneSymmetry({
      group: o3,
      repIn,
      repOut,
      rng: rng(4),
      channels: 32,
      layers: 1,
      teacher,
      inputs: xs,
      steps: 300,
      batchSize: 64,
      learningRate: 1e-2,
    });
    expect(report.equivarianceError).toBeLessThan(0.2 * report.plainEquivarianceError);
    // the student reproduces the trained teacher where the data are, at the teacher's own scale
    // (the adapters' gain starts at its output scale)
    const gap = tf.tidy(
      () =>
        tf.losses.meanSquaredError(teacher.apply(x), student.apply(x)).dataSync()[0]! /
        report.outputScale ** 2,
    );
    expect(gap).toBeLessThan(0.1);
    expect(student.adapters!.gain.dataSync()[0]! * ADAPTER_RATE).toBeCloseTo(
      Math.log(report.outputScale),
      5,
    );
    expect(() =>
      cloneSymmetry({ group: o3, repIn, repOut, rng: rng(4), teacher, inputs: xs.subarray(0, 5) }),
    ).toThrow(/whole, finite rows of 6/);
    student.dispose();
    teacher.dispose();
    tf.dispose([x, y]);
  });

  it("the strategy trains its teacher on the context's data, and says what it lacks", async () => {
    const { x, y } = data();
    const ctx = { group: o3, repIn, repOut, channels: 16, layers: 1, rng: rng(5) };
    const strategy = cloningStrategy({
      teacher: "trained",
      teacherEpochs: 20,
      steps: 100,
      lambda: 10,
    });
    await expect(Promise.resolve().then(() => strategy.build(ctx))).rejects.toThrow(
      /needs the training data/,
    );
    const model = (await strategy.build({ ...ctx, train: { x, y } })) as ClonedMLP;
    expect(model).toBeInstanceOf(ClonedMLP);
    expect(tf.tidy(() => model.squaredDistanceToClone().dataSync()[0])).toBe(0);
    expect(() => cloningStrategy({ teacher: "trained", mode: "family" })).toThrow(
      /use mode "single" or "init"/,
    );
    expect(() => cloningStrategy({ teacher: "sideways" as unknown as "trained" })).toThrow(
      /teacher must be "random" or "trained"/,
    );
    model.dispose();
    tf.dispose([x, y]);
  });
});
