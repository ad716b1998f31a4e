import { InvalidArgumentError } from "@isotropy/core";
import { defineTask } from "../define-task.js";
import { samplePointMasses } from "../point-masses.js";
import { identityStandardization } from "../standardization.js";
import type { NormalSource, Task } from "../task.js";

const K = 4;

/** Default field strength g (in units where the spring constant and rest length are 1). */
export const SPRING_GRAVITY_STRENGTH = 0.5;

export interface SpringGravityOptions {
  /** g in U = U_springs + g Σ m_i z_i (default 0.5); 0 gives an O(3)-invariant task. */
  readonly strength?: number;
}

/**
 * A closed chain of 4 point masses joined by unit springs, in a uniform gravitational field
 * along z: input x = [m_1..m_4, r_1, ..., r_4] (masses softplus(N(0,1)), positions N(0, I)),
 * output the potential energy
 *
 *   U = Σ_{i=1..4} ½ (|r_i - r_{i+1}| - 1)²  +  g Σ_i m_i (r_i · e_z),   r_5 = r_1, g = 0.5,
 *
 * (spring constant 1, rest length 1). The springs are O(3)-invariant (and translation
 * invariant); the field term singles out e_z, so O(3) is broken down to O(2), the rotations about
 * z and reflections through planes containing it (not z -> -z, which flips the field). Reps
 * 4*Scalar + 4*V -> Scalar; with g = 0 the target is exactly invariant.
 */
export function springGravityTask(opts: SpringGravityOptions = {}): Task {
  const g = opts.strength ?? SPRING_GRAVITY_STRENGTH;
  if (!Number.isFinite(g)) {
    throw new InvalidArgumentError(`spring-gravity's strength must be finite, got ${g}.`);
  }
  return defineTask({
    name: "spring-gravity",
    description: `Potential energy of a ring of 4 springs in a uniform field g = ${g} along z (breaks O(3) to O(2))`,
    groupName: "O(3)",
    repIn: "4*Scalar + 4*V",
    repOut: "Scalar",
    inputDim: 4 * K,
    outputDim: 1,
    compatibleGroups: ["O(3)", "SO(3)"],
    sampleInputs: (source: NormalSource, n: number) => samplePointMasses(source, n, K),
    evaluate(x, n, out) {
      for (let r = 0; r < n; r++) {
        const b = r * 4 * K;
        let u = 0;
        for (let i = 0; i < K; i++) {
          const p = b + K + 3 * i;
          const q = b + K + 3 * ((i + 1) % K);
          let d2 = 0;
          for (let a = 0; a < 3; a++) {
            const d = (x[p + a] as number) - (x[q + a] as number);
            d2 += d * d;
          }
          const stretch = Math.sqrt(d2) - 1;
          u += 0.5 * stretch * stretch + g * (x[b + i] as number) * (x[p + 2] as number);
        }
        out[r] = u;
      }
    },
    standardize: () => identityStandardization(4 * K, 1),
  });
}

/** `spring-gravity` at the default field strength 0.5. */
export const springGravity: Task = springGravityTask();
