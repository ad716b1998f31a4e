import * as tf from "@tensorflow/tfjs-core";
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

/** Parameters of `maxCut`. */
export type MaxCutOptions = GraphTaskOptions;

/** Data of `max-cut`: adjacency matrices, their optimum and the orbit-constant optimum. */
export interface MaxCutData extends GraphSpinData {
  /** Edges (total weight sum_{i<j} A_ij) per graph. */
  readonly edges: Float64Array;
  /** Maximum cut per graph (exhaustive search). */
  readonly optimum: Float64Array;
  /** One maximum cut per graph as spins, n x nodes. */
  readonly optimalSpins: Int8Array;
}

/** The total edge weight sum_{i<j} A_ij. */
export function edgeWeight(a: ArrayLike<number>, n: number): number {
  let total = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) total += a[i * n + j] as number;
  return total;
}

/** The cut value sum_{i<j} A_ij (1 - s_i s_j) / 2 of spins s (the side of node i is s_i). */
export function cutValue(a: ArrayLike<number>, n: number, s: ArrayLike<number>): number {
  return (edgeWeight(a, n) - spinForm(a, n, s)) / 2;
}

/** The maximum cut by exhaustive search (Gray code, n <= 24) and one side assignment. */
export function maxCutExact(a: ArrayLike<number>, n: number): { value: number; spins: Int8Array } {
  const m = minimizeSpinForm(a, n);
  return { value: cutValue(a, n, m.spins), spins: m.spins };
}

/**
 * The best cut over side assignments constant on the orbits of Aut(G): the most an exactly
 * S(n)-equivariant model can cut after sign rounding (0 on vertex-transitive graphs).
 */
export function maxCutOrbitConstant(
  a: ArrayLike<number>,
  n: number,
  orbits: readonly (readonly number[])[],
): number {
  return cutValue(a, n, minimizeOrbitConstant(a, n, orbits).spins);
}

/**
 * `max-cut`: S(n) acting on the adjacency matrix (T(2)) and on one score per node (V). Loss: minus
 * the relaxed cut of z = tanh(scores), divided by the number of edges. Metric: cut of the sign
 * rounding over the optimum.
 */
export function maxCut(opts: MaxCutOptions = {}): SymmetryBreakingTask<MaxCutData> {
  const name = "max-cut";
  const { nodes, families, relaxation, integrality } = resolveGraphOptions(name, opts);
  return graphSpinTask<Omit<MaxCutData, keyof GraphSpinData>>({
    name,
    description: `Max-cut on ${nodes}-vertex graphs (${families.join(", ")}): one score per node, sign = side.`,
    nodes,
    relaxation,
    integrality,
    start(n) {
      const edges = new Float64Array(n);
      const optimum = new Float64Array(n);
      const optimalSpins = new Int8Array(n * nodes);
      return {
        draw(rng, b) {
          const inst = drawGraph(rng, nodes, families, opts);
          const best = maxCutExact(inst.adjacency, nodes);
          optimum[b] = best.value;
          optimalSpins.set(best.spins, b * nodes);
          edges[b] = edgeWeight(inst.adjacency, nodes);
          const equiv = maxCutOrbitConstant(inst.adjacency, nodes, inst.orbits);
          return {
            matrix: inst.adjacency,
            family: inst.family,
            orbits: inst.orbits,
            equivariantBound: best.value > 0 ? equiv / best.value : 1,
            symmetric: equiv < best.value,
          };
        },
        fields: () => ({ edges, optimum, optimalSpins }),
      };
    },
    loss(z, a, data, r) {
      const edges = tf.tensor1d(Float32Array.from(r, (i) => data.edges[i] as number));
      // cut(z) = sum_{i<j} A_ij (1 - z_i z_j) / 2 = (2|E| - z^T A z) / 4.
      const cut = tf.div(tf.sub(tf.mul(edges, 2), quadraticForms(z, a, nodes)), 4);
      return tf.neg(tf.mean(tf.div(cut, tf.maximum(edges, 1)))) as tf.Scalar;
    },
    metricName: "cut / optimum",
    higherIsBetter: true,
    score(a, spins, data, b) {
      const cut = cutValue(a, nodes, spins);
      return (data.optimum[b] as number) > 0 ? cut / (data.optimum[b] as number) : 1;
    },
  });
}
