import { InvalidArgumentError, ShapeError } from "@isotropy/core";

/** `n` samples, row-major: `x` is `n * inputDim` numbers, `y` is `n * outputDim`. */
export interface Split {
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly n: number;
}

/** A data set as the loop reads it. `test`, when given, is scored once with the final weights. */
export interface TrainData {
  readonly train: Split;
  readonly val: Split;
  readonly test?: Split;
  readonly inputDim: number;
  readonly outputDim: number;
}

/**
 * Checks one split against the dimensions: `n` a positive integer, Float32Array rows of the
 * right lengths (ShapeError naming expected and given), every value finite
 * (InvalidArgumentError naming the first bad index, its sample and its feature).
 */
export function validateSplit(
  label: string,
  split: Split | undefined,
  inputDim: number,
  outputDim: number,
): void {
  if (split === undefined || split === null || typeof split !== "object") {
    throw new InvalidArgumentError(`${label} is missing: give { x, y, n }.`);
  }
  const { x, y, n } = split;
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`${label}.n must be a positive integer, got ${n}.`);
  }
  checkArray(`${label}.x`, x, n, inputDim);
  checkArray(`${label}.y`, y, n, outputDim);
}

/** Checks the whole data set; see `validateSplit`. */
export function validateData(data: TrainData): void {
  if (data === undefined || data === null || typeof data !== "object") {
    throw new InvalidArgumentError("data must be { train, val, test?, inputDim, outputDim }.");
  }
  checkDim("data.inputDim", data.inputDim);
  checkDim("data.outputDim", data.outputDim);
  validateSplit("train", data.train, data.inputDim, data.outputDim);
  validateSplit("val", data.val, data.inputDim, data.outputDim);
  if (data.test !== undefined) validateSplit("test", data.test, data.inputDim, data.outputDim);
}

function checkDim(label: string, d: number): void {
  if (!Number.isInteger(d) || d < 1) {
    throw new InvalidArgumentError(`${label} must be a positive integer, got ${d}.`);
  }
}

function checkArray(label: string, a: Float32Array, n: number, dim: number): void {
  if (!(a instanceof Float32Array)) {
    const given =
      a === undefined || a === null ? String(a) : ((a as object).constructor?.name ?? typeof a);
    throw new InvalidArgumentError(`${label} must be a Float32Array, got ${given}.`);
  }
  if (a.length !== n * dim) {
    throw new ShapeError(label, `[${n}, ${dim}] (${n * dim} numbers)`, `${a.length} numbers`);
  }
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i])) {
      const sample = Math.floor(i / dim);
      throw new InvalidArgumentError(
        `${label}[${i}] is ${a[i]} (sample ${sample}, feature ${i - sample * dim}); ` +
          "inputs and labels must be finite.",
      );
    }
  }
}
