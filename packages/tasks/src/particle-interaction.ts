import { defineTask } from "./define-task.js";
import { blockScales, meanStd, metricScale } from "./standardization.js";
import type { NormalSource } from "./task.js";

/** Minkowski metric, time first. */
const ETA = [1, -1, -1, -1] as const;

/**
 * emlp's ParticleInteraction (electron-muon scattering matrix element): x ~ N(0,1)^16 / 4 read
 * as four 4-vectors p1..p4 (time first), dot(a, b) = a^T eta b with eta = diag(1, -1, -1, -1);
 * Le = p1 p3^T - (dot(p1,p3) - dot(p1,p1)) eta,
 * Lmu = (eta p2)(eta p4)^T - (dot(p2,p4) - dot(p2,p2)) eta,
 * y = 4 sum_ij Le_ij Lmu_ij, a Lorentz (O(1,3)) invariant.
 * Standardization: each 4-vector divided by sqrt(mean over samples of mean over components of
 * |(x eta) ⊙ x|); y shifted and scaled by its mean and (population) standard deviation.
 */
export const particleInteraction = defineTask({
  name: "particle-interaction",
  description:
    "Electron-muon scattering matrix element: 4*V -> Scalar under the Lorentz group O(1,3)",
  groupName: "O(1,3)",
  repIn: "4*V",
  repOut: "Scalar",
  inputDim: 16,
  outputDim: 1,
  compatibleGroups: ["O(1,3)", "SO(1,3)", "SO+(1,3)"],
  sampleInputs: (source: NormalSource, n: number) => source.normals(n * 16, 1 / 4),
  evaluate(x, n, out) {
    const le = new Float64Array(16);
    const p = (r: number, k: number, c: number) => x[r * 16 + 4 * k + c] as number;
    const dot = (r: number, a: number, b: number) => {
      let s = 0;
      for (let c = 0; c < 4; c++) s += (ETA[c] as number) * p(r, a, c) * p(r, b, c);
      return s;
    };
    for (let r = 0; r < n; r++) {
      const ce = dot(r, 0, 2) - dot(r, 0, 0);
      const cm = dot(r, 1, 3) - dot(r, 1, 1);
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          le[4 * i + j] = p(r, 0, i) * p(r, 2, j) - (i === j ? ce * (ETA[i] as number) : 0);
        }
      }
      let s = 0;
      for (let i = 0; i < 4; i++) {
        for (let j = 0; j < 4; j++) {
          const lmu =
            (ETA[i] as number) * p(r, 1, i) * (ETA[j] as number) * p(r, 3, j) -
            (i === j ? cm * (ETA[i] as number) : 0);
          s += (le[4 * i + j] as number) * lmu;
        }
      }
      out[r] = 4 * s;
    }
  },
  standardize(x, y, n) {
    const { mean, std } = meanStd(y, n, 1, 0);
    return {
      inputScale: blockScales(
        16,
        [0, 1, 2, 3].map((k) => [4 * k, 4, metricScale(x, n, 16, 4 * k, ETA)] as const),
      ),
      outputMean: Float32Array.of(mean),
      outputScale: Float32Array.of(std),
    };
  },
});
