import { Rng } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import {
  drawGraph,
  type GraphTaskOptions,
  quadraticForms,
  resolveGraphOptions,
  roundSpins,
} from "./graph-instances.js";
import type { GraphFamily } from "./graphs.js";
import { minimizeOrbitConstant, minimizeSpinForm, spinForm } from "./spin-search.js";
import type {
  BreakingData,
  BreakingGenerateOptions,
  Predictions,
  SymmetryBreakingTask,
} from "./types.js";
import { checkCount, gatherRows, predictionArray, resolveRows, summarize } from "./util.js";

/** Parameters of `maxCut`. */
export type MaxCutOptions = GraphTaskOptions;

/** Data of `max-cut`: adjacency matrices, their optimum and the orbit-constant optimum. */
export interface MaxCutData extends BreakingData {
  readonly nodes: number;
  readonly families: readonly GraphFamily[];
  /** Edges (total weight sum_{i<j} A_ij) per graph. */
  readonly edges: Float64Array;
  /** Maximum cut per graph (exhaustive search). */
  readonly optimum: Float64Array;
  /** One maximum cut per graph as spins, n x nodes. */
  readonly optimalSpins: Int8Array;
  /** Orbits of Aut(G) per graph. */
  readonly orbits: readonly (readonly (readonly number[])[])[];
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
  const { nodes, families } = resolveGraphOptions(name, opts);
  const inputDim = nodes * nodes;
  return {
    name,
    description: `Max-cut on ${nodes}-vertex graphs (${families.join(", ")}): one score per node, sign = side.`,
    group: `S(${nodes})`,
    repIn: "T(2)",
    repOut: "V",
    inputDim,
    outputDim: nodes,
    supervised: false,
    generate(g: BreakingGenerateOptions): MaxCutData {
      const n = checkCount(g.n, "max-cut: n");
      const seed = g.seed ?? 0;
      const rng = new Rng(seed).fork(name);
      const x = new Float32Array(n * inputDim);
      const edges = new Float64Array(n);
      const optimum = new Float64Array(n);
      const optimalSpins = new Int8Array(n * nodes);
      const symmetric = new Uint8Array(n);
      const equivariantBound = new Float64Array(n);
      const orbits: number[][][] = [];
      const fam: GraphFamily[] = [];
      for (let b = 0; b < n; b++) {
        const inst = drawGraph(rng, nodes, families, opts);
        x.set(inst.adjacency, b * inputDim);
        const best = maxCutExact(inst.adjacency, nodes);
        optimum[b] = best.value;
        optimalSpins.set(best.spins, b * nodes);
        edges[b] = edgeWeight(inst.adjacency, nodes);
        const equiv = maxCutOrbitConstant(inst.adjacency, nodes, inst.orbits);
        equivariantBound[b] = best.value > 0 ? equiv / best.value : 1;
        symmetric[b] = equiv < best.value ? 1 : 0;
        orbits.push(inst.orbits);
        fam.push(inst.family);
      }
      return {
        n,
        x,
        seed,
        symmetric,
        equivariantBound,
        nodes,
        families: fam,
        edges,
        optimum,
        optimalSpins,
        orbits,
      };
    },
    loss(pred: tf.Tensor2D, data: MaxCutData, rows?: ArrayLike<number>): tf.Scalar {
      const r = resolveRows(pred, data, nodes, name, rows);
      return tf.tidy(() => {
        const z = tf.tanh(pred);
        const a = gatherRows(data.x, inputDim, r);
        const edges = tf.tensor1d(Float32Array.from(r, (i) => data.edges[i] as number));
        // cut(z) = sum_{i<j} A_ij (1 - z_i z_j) / 2 = (2|E| - z^T A z) / 4.
        const cut = tf.div(tf.sub(tf.mul(edges, 2), quadraticForms(z, a, nodes)), 4);
        return tf.neg(tf.mean(tf.div(cut, tf.maximum(edges, 1)))) as tf.Scalar;
      });
    },
    metric(pred: Predictions, data: MaxCutData) {
      const p = predictionArray(pred, data.n, nodes, name);
      const per = new Float64Array(data.n);
      for (let b = 0; b < data.n; b++) {
        const a = data.x.subarray(b * inputDim, (b + 1) * inputDim);
        const cut = cutValue(a, nodes, roundSpins(p, b * nodes, nodes));
        per[b] = (data.optimum[b] as number) > 0 ? cut / (data.optimum[b] as number) : 1;
      }
      return summarize("cut / optimum", true, per, data);
    },
  };
}
