import { InvalidArgumentError } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { automorphismOrbits } from "./automorphisms.js";
import {
  drawGraph,
  type GraphSpinData,
  type GraphTaskOptions,
  graphSpinTask,
  quadraticForms,
  resolveGraphOptions,
} from "./graph-instances.js";
import { minimizeOrbitConstant, minimizeSpinForm, spinForm } from "./spin-search.js";
import type { SymmetryBreakingTask } from "./types.js";

/** Coupling signs: J = +A (ferromagnet), J = -A (antiferromagnet), J = +-A at random (spin glass). */
export const COUPLING_KINDS = ["ferro", "antiferro", "spin-glass"] as const;
export type CouplingKind = (typeof COUPLING_KINDS)[number];

/** Parameters of `ising`. */
export interface IsingOptions extends GraphTaskOptions {
  /** Coupling kinds drawn uniformly; default ["ferro", "antiferro"]. */
  readonly couplings?: readonly CouplingKind[];
}

/** Data of `ising`: coupling matrices and their ground states. */
export interface IsingData extends GraphSpinData {
  readonly couplings: readonly CouplingKind[];
  /** sum_{i<j} |J_ij| per instance (the loss's scale). */
  readonly scale: Float64Array;
  /** Ground-state energy per instance (exhaustive search). */
  readonly groundEnergy: Float64Array;
  /** One ground state per instance, n x nodes (its global flip is another). */
  readonly groundSpins: Int8Array;
}

/** E(s) = -sum_{i<j} J_ij s_i s_j. */
export function isingEnergy(j: ArrayLike<number>, n: number, s: ArrayLike<number>): number {
  return -spinForm(j, n, s);
}

/** The ground state of E(s) = -sum_{i<j} J_ij s_i s_j by exhaustive search (n <= 24). */
export function isingGroundState(
  j: ArrayLike<number>,
  n: number,
): { energy: number; spins: Int8Array } {
  const neg = Float64Array.from(j, (v) => -v);
  const m = minimizeSpinForm(neg, n);
  return { energy: isingEnergy(j, n, m.spins), spins: m.spins };
}

/** The lowest energy over spins constant on the given orbits (Aut(J)): an S(n)-equivariant model's best. */
export function isingOrbitConstant(
  j: ArrayLike<number>,
  n: number,
  orbits: readonly (readonly number[])[],
): number {
  const neg = Float64Array.from(j, (v) => -v);
  return isingEnergy(j, n, minimizeOrbitConstant(neg, n, orbits).spins);
}

/** (E - E0) / |E0|: 0 at the ground state. */
export function energyGap(e: number, e0: number): number {
  return e0 === 0 ? e - e0 : (e - e0) / Math.abs(e0);
}

/**
 * `ising`: S(n) acting on couplings J (T(2)) and on one spin score per node (V); the energy is also
 * invariant under the global flip s -> -s (Z2 on the output only). Loss: the relaxed energy of
 * z = tanh(scores) over sum |J_ij|. Metric: relative energy gap of the sign rounding.
 */
export function ising(opts: IsingOptions = {}): SymmetryBreakingTask<IsingData> {
  const name = "ising";
  const { nodes, families, relaxation, integrality } = resolveGraphOptions(name, opts);
  const kinds = opts.couplings ? [...opts.couplings] : (["ferro", "antiferro"] as CouplingKind[]);
  if (kinds.length === 0 || kinds.some((c) => !COUPLING_KINDS.includes(c))) {
    throw new InvalidArgumentError(
      `ising: couplings must be a non-empty list of ${COUPLING_KINDS.join(", ")}.`,
    );
  }
  const inputDim = nodes * nodes;
  return graphSpinTask<Omit<IsingData, keyof GraphSpinData>>({
    name,
    description: `Ising ground states on ${nodes}-vertex graphs (${families.join(", ")}; ${kinds.join(", ")}).`,
    nodes,
    relaxation,
    integrality,
    start(n) {
      const scale = new Float64Array(n);
      const groundEnergy = new Float64Array(n);
      const groundSpins = new Int8Array(n * nodes);
      const couplings: CouplingKind[] = [];
      return {
        draw(rng, b) {
          const kind = kinds[rng.int(kinds.length)] as CouplingKind;
          const inst = drawGraph(rng, nodes, families, opts);
          const jm = new Float64Array(inputDim);
          for (let i = 0; i < nodes; i++) {
            for (let k = i + 1; k < nodes; k++) {
              const a = inst.adjacency[i * nodes + k] as number;
              if (a === 0) continue;
              const sign =
                kind === "ferro" ? 1 : kind === "antiferro" ? -1 : rng.int(2) === 0 ? 1 : -1;
              jm[i * nodes + k] = sign * a;
              jm[k * nodes + i] = sign * a;
              scale[b] = (scale[b] as number) + Math.abs(a);
            }
          }
          // Spin-glass signs can lower the symmetry below Aut(G).
          const orb = kind === "spin-glass" ? automorphismOrbits(jm, nodes) : inst.orbits;
          const ground = isingGroundState(jm, nodes);
          groundEnergy[b] = ground.energy;
          groundSpins.set(ground.spins, b * nodes);
          const equiv = isingOrbitConstant(jm, nodes, orb);
          couplings.push(kind);
          return {
            matrix: jm,
            family: inst.family,
            orbits: orb,
            equivariantBound: energyGap(equiv, ground.energy),
            symmetric: equiv > ground.energy + 1e-9,
          };
        },
        fields: () => ({ couplings, scale, groundEnergy, groundSpins }),
      };
    },
    loss(z, j, data, r) {
      const scale = tf.tensor1d(Float32Array.from(r, (i) => Math.max(1, data.scale[i] as number)));
      // E(z) = -sum_{i<j} J_ij z_i z_j = -z^T J z / 2.
      const energy = tf.div(quadraticForms(z, j, nodes), -2);
      return tf.mean(tf.div(energy, scale)) as tf.Scalar;
    },
    metricName: "energy gap (E - E0) / |E0|",
    higherIsBetter: false,
    score: (j, spins, data, b) =>
      energyGap(isingEnergy(j, nodes, spins), data.groundEnergy[b] as number),
  });
}
