import { defineTask } from "./define-task.js";
import { samplePointMasses } from "./point-masses.js";
import { identityStandardization } from "./standardization.js";
import type { NormalSource } from "./task.js";

const K = 5;

/**
 * emlp's Inertia: x ~ N(0,1)^20; the first 5 entries become masses m_i = log(1 + exp(x_i)) (the
 * input holds the masses), the other 15 are positions r_i (consecutive triples);
 * y = sum_i m_i (|r_i|^2 I - r_i r_i^T), row-major 3 x 3. Equivariant: y(g x) = g y(x) g^T.
 * No standardization.
 */
export const inertia = defineTask({
  name: "inertia",
  description: "Moment of inertia of 5 point masses: 5*Scalar + 5*V -> T(2) under O(3)",
  groupName: "O(3)",
  repIn: "5*Scalar + 5*V",
  repOut: "T(2)",
  inputDim: 4 * K,
  outputDim: 9,
  compatibleGroups: ["O(3)", "SO(3)"],
  sampleInputs: (source: NormalSource, n: number) => samplePointMasses(source, n, K),
  evaluate(x, n, out) {
    for (let r = 0; r < n; r++) {
      const b = r * 4 * K;
      const o = r * 9;
      for (let i = 0; i < K; i++) {
        const m = x[b + i] as number;
        const p = b + K + 3 * i;
        const v0 = x[p] as number;
        const v1 = x[p + 1] as number;
        const v2 = x[p + 2] as number;
        const r2 = v0 * v0 + v1 * v1 + v2 * v2;
        const v = [v0, v1, v2];
        for (let a = 0; a < 3; a++) {
          for (let c = 0; c < 3; c++) {
            out[o + 3 * a + c] += m * ((a === c ? r2 : 0) - (v[a] as number) * (v[c] as number));
          }
        }
      }
    }
  },
  standardize: () => identityStandardization(4 * K, 9),
});
