import { InvalidArgumentError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import { constantSchedule, cosineSchedule, resolveSchedule, stepSchedule } from "../src/index.js";

describe("learning-rate schedules", () => {
  it("constant is 1 everywhere", () => {
    const s = constantSchedule();
    expect([0, 5, 99].map((i) => s(i, 100))).toEqual([1, 1, 1]);
    expect(s.label).toBe("constant");
  });

  it("cosine goes from 1 to minFactor along a half cosine", () => {
    const s = cosineSchedule();
    expect(s(0, 100)).toBe(1);
    expect(s(50, 100)).toBeCloseTo(0.5, 12);
    expect(s(100, 100)).toBeCloseTo(0, 12);
    expect(s(25, 100)).toBeCloseTo((1 + Math.cos(Math.PI / 4)) / 2, 12);
    const m = cosineSchedule({ minFactor: 0.2 });
    expect(m(100, 100)).toBeCloseTo(0.2, 12);
    expect(m(50, 100)).toBeCloseTo(0.6, 12);
  });

  it("cosine warms up linearly first", () => {
    const s = cosineSchedule({ warmupSteps: 4 });
    expect([0, 1, 2, 3].map((i) => s(i, 104))).toEqual([0.25, 0.5, 0.75, 1]);
    expect(s(4, 104)).toBe(1);
    expect(s(54, 104)).toBeCloseTo(0.5, 12);
  });

  it("step multiplies by gamma every `every` steps (default: thirds of the run)", () => {
    const s = stepSchedule({ every: 10, gamma: 0.5 });
    expect([0, 9, 10, 19, 20, 35].map((i) => s(i, 40))).toEqual([1, 1, 0.5, 0.5, 0.25, 0.125]);
    const d = stepSchedule();
    expect([0, 9, 10, 19, 20, 29].map((i) => d(i, 30))).toEqual([
      1,
      1,
      0.1,
      0.1,
      0.1 ** 2,
      0.1 ** 2,
    ]);
  });

  it("resolves names and refuses unknown ones", () => {
    expect(resolveSchedule(undefined).label).toBe("constant");
    expect(resolveSchedule("cosine").label).toMatch(/^cosine/);
    expect(resolveSchedule("step").label).toMatch(/^step/);
    const f = (step: number) => 1 / (1 + step);
    expect(resolveSchedule(f)).toBe(f);
    expect(() => resolveSchedule("linear" as "step")).toThrow(InvalidArgumentError);
    expect(() => resolveSchedule("linear" as "step")).toThrow(/constant.*cosine.*step/);
    expect(() => cosineSchedule({ minFactor: 2 })).toThrow(InvalidArgumentError);
    expect(() => stepSchedule({ every: 0 })).toThrow(InvalidArgumentError);
  });
});
