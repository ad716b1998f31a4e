import { InvalidArgumentError } from "@isotropy/core";
import { defineTask } from "../define-task.js";
import { samplePointMasses } from "../point-masses.js";
import { identityStandardization } from "../standardization.js";
import type { NormalSource, Task } from "../task.js";

const K = 5;

/** The RPP paper's strength of the symmetry-breaking term. */
export const MODIFIED_INERTIA_STRENGTH = 0.3;

export interface ModifiedInertiaOptions {
  /** epsilon in y = I + epsilon (I e_z) e_z^T (default 0.3, the RPP paper's value). */
  readonly strength?: number;
}

/**
 * The residual-pathway-priors paper's `ModifiedInertia` (Finzi, Benton, Wilson 2021, from their
 * `datasets.py`): the inputs of `inertia` (5 masses m_i = softplus(z), 5 positions r_i ~ N(0, I),
 * x = [m_1..m_5, r_1, ..., r_5]), and
 *
 *   y = I + epsilon (I e_z) e_z^T,   I = Σ_i m_i (|r_i|² 1 - r_i r_i^T),   epsilon = 0.3,
 *
 * row-major 3 x 3: the inertia tensor plus epsilon times its third column written into the
 * third column (y_ab = I_ab (1 + epsilon δ_b3)). The term singles out the z axis, so O(3) is
 * broken; what remains exact is the stabilizer of the axis line, O(2) x Z2 (rotations about z,
 * reflections through planes containing z, and z -> -z). With epsilon = 0 it is `inertia`
 * exactly (same sampler, same draws for a given seed).
 */
export function modifiedInertiaTask(opts: ModifiedInertiaOptions = {}): Task {
  const eps = opts.strength ?? MODIFIED_INERTIA_STRENGTH;
  if (!Number.isFinite(eps)) {
    throw new InvalidArgumentError(`modified-inertia's strength must be finite, got ${eps}.`);
  }
  return defineTask({
    name: "modified-inertia",
    description: `Inertia of 5 point masses plus ${eps} (I e_z) e_z^T, which breaks O(3) (RPP paper)`,
    groupName: "O(3)",
    repIn: "5*Scalar + 5*V",
    repOut: "T(2)",
    inputDim: 4 * K,
    outputDim: 9,
    compatibleGroups: ["O(3)", "SO(3)"],
    sampleInputs: sampleMassesAndPositions,
    evaluate(x, n, out) {
      inertiaTensor(x, n, out);
      if (eps === 0) return;
      for (let r = 0; r < n; r++) {
        const o = r * 9;
        for (let a = 0; a < 3; a++) out[o + 3 * a + 2] += eps * (out[o + 3 * a + 2] as number);
      }
    },
    standardize: () => identityStandardization(4 * K, 9),
  });
}

/** `modified-inertia` at the RPP paper's strength 0.3. */
export const modifiedInertia: Task = modifiedInertiaTask();

/** inertia's sampler: 5 softplus(N(0,1)) masses, then 5 N(0, I) positions, per row. */
export function sampleMassesAndPositions(source: NormalSource, n: number): Float64Array {
  return samplePointMasses(source, n, K);
}

/** Σ_i m_i (|r_i|² 1 - r_i r_i^T) into out (n x 9, zero on entry). */
function inertiaTensor(x: ArrayLike<number>, n: number, out: Float64Array): void {
  for (let r = 0; r < n; r++) {
    const b = r * 4 * K;
    const o = r * 9;
    for (let i = 0; i < K; i++) {
      const m = x[b + i] as number;
      const p = b + K + 3 * i;
      const v = [x[p] as number, x[p + 1] as number, x[p + 2] as number];
      const r2 = v[0]! * v[0]! + v[1]! * v[1]! + v[2]! * v[2]!;
      for (let a = 0; a < 3; a++) {
        for (let c = 0; c < 3; c++) {
          out[o + 3 * a + c] += m * ((a === c ? r2 : 0) - v[a]! * v[c]!);
        }
      }
    }
  }
}
