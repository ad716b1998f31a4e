import { defineTask } from "./define-task.js";
import { blockScales, meanStd, rmsScale } from "./standardization.js";
import type { NormalSource } from "./task.js";

const D = 5;

/**
 * emlp's O5Synthetic: x ~ N(0,1)^10 read as x1 = x[0:5], x2 = x[5:10];
 * y = sin(|x1|) - 0.5 |x2|^3 + (x1 . x2) / (|x1| |x2|), an O(5) invariant.
 * Standardization: each 5-vector divided by sqrt(mean of its squared entries over the pool);
 * y shifted and scaled by its mean and (population) standard deviation.
 */
export const o5Synthetic = defineTask({
  name: "o5-synthetic",
  description: "O(5)-invariant regression: sin|x1| - |x2|^3/2 + cos(angle(x1, x2)), x ~ N(0,1)^10",
  groupName: "O(5)",
  repIn: "2*V",
  repOut: "Scalar",
  inputDim: 2 * D,
  outputDim: 1,
  compatibleGroups: ["O(5)", "SO(5)"],
  sampleInputs: (source: NormalSource, n: number) => source.normals(n * 2 * D),
  evaluate(x, n, out) {
    for (let r = 0; r < n; r++) {
      const b = r * 2 * D;
      let n1 = 0;
      let n2 = 0;
      let dot = 0;
      for (let c = 0; c < D; c++) {
        const a = x[b + c] as number;
        const v = x[b + D + c] as number;
        n1 += a * a;
        n2 += v * v;
        dot += a * v;
      }
      const r1 = Math.sqrt(n1);
      const r2 = Math.sqrt(n2);
      out[r] = Math.sin(r1) - 0.5 * r2 * r2 * r2 + dot / (r1 * r2);
    }
  },
  standardize(x, y, n) {
    const { mean, std } = meanStd(y, n, 1, 0);
    return {
      inputScale: blockScales(2 * D, [
        [0, D, rmsScale(x, n, 2 * D, 0, D)],
        [D, D, rmsScale(x, n, 2 * D, D, D)],
      ]),
      outputMean: Float32Array.of(mean),
      outputScale: Float32Array.of(std),
    };
  },
});
