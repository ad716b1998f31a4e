import { InvalidArgumentError, ShapeError } from "@isotropy/core";
import { describe, expect, it } from "vitest";
import {
  batchRows,
  checkBatch,
  checkFinite,
  checkShape,
  checkTaskGroup,
  inertia,
  mse,
  msePerOutput,
  o5Synthetic,
  rmse,
} from "../src/index.js";

describe("boundary checks", () => {
  it("checkFinite names the first non-finite entry, with sample and coordinate", () => {
    expect(() => checkFinite([1, 2, 3], "x")).not.toThrow();
    const x = Float32Array.from([0, 1, 2, 3, Number.NaN, 5, Number.POSITIVE_INFINITY]);
    expect(() => checkFinite(x, "labels")).toThrow(InvalidArgumentError);
    expect(() => checkFinite(x, "labels")).toThrow(/labels must be finite, but entry 4 is NaN/);
    expect(() => checkFinite(x, "inputs", 3)).toThrow(/entry 4 \(sample 1, coordinate 1\) is NaN/);
  });

  it("checkShape and batchRows say what was expected and what was given", () => {
    expect(() => checkShape(new Float32Array(20), 2, 10, "inputs")).not.toThrow();
    expect(() => checkShape(new Float32Array(30), 2, 10, "inputs")).toThrow(ShapeError);
    expect(() => checkShape(new Float32Array(30), 2, 10, "inputs")).toThrow(
      "inputs: expected shape [2, 10] (20 numbers), got 30 numbers (3 x 10).",
    );
    expect(batchRows(new Float32Array(30), 10, "x")).toBe(3);
    expect(() => batchRows(new Float32Array(31), 10, "x")).toThrow(ShapeError);
    expect(() => checkBatch([1, Number.NaN], 1, 2, "x")).toThrow(InvalidArgumentError);
  });

  it("target rejects wrong shapes and non-finite inputs before computing", () => {
    expect(() => inertia.target(new Float64Array(19), 1)).toThrow(ShapeError);
    expect(() => inertia.target(new Float64Array(19), 1)).toThrow(
      /inputs of inertia: expected shape \[1, 20\]/,
    );
    const x = new Float32Array(20);
    x[13] = Number.NaN;
    expect(() => inertia.target(x, 1)).toThrow(
      /inputs of inertia must be finite, but entry 13 \(sample 0, coordinate 13\)/,
    );
  });

  it("checkTaskGroup accepts the compatible groups and names them otherwise", () => {
    expect(() => checkTaskGroup(inertia, { name: "SO(3)", d: 3 })).not.toThrow();
    expect(() => checkTaskGroup(o5Synthetic, { name: "SO(3)", d: 3 })).toThrow(
      InvalidArgumentError,
    );
    expect(() => checkTaskGroup(o5Synthetic, { name: "SO(3)", d: 3 })).toThrow(
      'Task "o5-synthetic" (2*V -> Scalar) fits the groups O(5), SO(5); got SO(3) (acting on R^3).',
    );
  });
});

describe("metrics", () => {
  it("mse is the mean over samples and outputs", () => {
    expect(mse([1, 2, 3, 4], [1, 2, 3, 6])).toBe(1);
    expect(rmse([0, 0], [3, 4])).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(Array.from(msePerOutput([0, 0, 1, 2], [1, 0, 1, 0], 2))).toEqual([0.5, 2]);
  });

  it("rejects mismatched lengths and empty batches", () => {
    expect(() => mse([1, 2], [1, 2, 3])).toThrow(ShapeError);
    expect(() => mse([], [])).toThrow(InvalidArgumentError);
    expect(() => msePerOutput([1, 2, 3], [1, 2, 3], 2)).toThrow(ShapeError);
  });
});
