import { InvalidArgumentError, Rng } from "@isotropy/core";
import * as tf from "@tensorflow/tfjs-core";
import { automorphismOrbits } from "./automorphisms.js";
import {
  familiesForSize,
  type GraphFamily,
  type GraphOptions,
  makeGraph,
  relabelGraph,
} from "./graphs.js";
import { MAX_EXHAUSTIVE_N } from "./spin-search.js";
import type {
  BreakingData,
  BreakingGenerateOptions,
  Predictions,
  SymmetryBreakingTask,
} from "./types.js";
import { checkCount, gatherRows, predictionArray, resolveRows, summarize } from "./util.js";

/** Options shared by `max-cut` and `ising`. */
export interface GraphTaskOptions extends GraphOptions {
  /** Vertices per graph; default 10 (exact references need n <= 20). */
  readonly nodes?: number;
  /** Families to draw from (uniformly); default every family with a member on `nodes` vertices. */
  readonly families?: readonly GraphFamily[];
  /**
   * How scores become the continuous spins z of the loss: "sphere" (default) rescales them to
   * |z|² = n (the spectral relaxation: the loss is a Rayleigh quotient, whose only local optimum
   * is the global one, so gradient descent does not stall in domain walls); "tanh" squashes each
   * score (z = tanh(score), the classic relaxation, with local optima).
   */
  readonly relaxation?: SpinRelaxation;
  /**
   * Weight of the integrality penalty `mean_i (z_i² - 1)²` added to the loss (default 0.1, >= 0).
   * Where the relaxation's optimum is degenerate (the Petersen graph's lowest adjacency
   * eigenvalue has a 4-dimensional eigenspace) it picks the ±1-like points of it, which round to
   * the best cuts; at a ±1 optimum (bipartite graphs) it is zero.
   */
  readonly integrality?: number;
}

/** See `GraphTaskOptions.relaxation`. */
export type SpinRelaxation = "sphere" | "tanh";

/**
 * Scores within this distance of 0 count as ties (side +1): the float32 rounding of an exactly
 * equivariant zero output must not pick sides.
 */
export const SCORE_TIE = 1e-5;

/** Largest n for which the tasks compute exact references. */
export const MAX_REFERENCE_N = 20;

export function resolveGraphOptions(
  task: string,
  opts: GraphTaskOptions,
): {
  nodes: number;
  families: GraphFamily[];
  relaxation: SpinRelaxation;
  integrality: number;
} {
  const nodes = opts.nodes ?? 10;
  if (
    !Number.isInteger(nodes) ||
    nodes < 3 ||
    nodes > Math.min(MAX_REFERENCE_N, MAX_EXHAUSTIVE_N)
  ) {
    throw new InvalidArgumentError(
      `${task}: nodes must be an integer in [3, ${MAX_REFERENCE_N}] (exact references by exhaustive search), got ${String(nodes)}.`,
    );
  }
  const possible = familiesForSize(nodes);
  const families = opts.families ? [...opts.families] : possible;
  if (families.length === 0) throw new InvalidArgumentError(`${task}: families must not be empty.`);
  for (const f of families) {
    if (!possible.includes(f)) {
      throw new InvalidArgumentError(
        `${task}: the family ${f} has no member on ${nodes} vertices; possible: ${possible.join(", ")}.`,
      );
    }
  }
  const relaxation = opts.relaxation ?? "sphere";
  if (relaxation !== "sphere" && relaxation !== "tanh") {
    throw new InvalidArgumentError(
      `${task}: relaxation must be "sphere" or "tanh", got ${JSON.stringify(relaxation)}.`,
    );
  }
  const integrality = opts.integrality ?? DEFAULT_INTEGRALITY;
  if (!(Number.isFinite(integrality) && integrality >= 0)) {
    throw new InvalidArgumentError(
      `${task}: integrality must be a finite number >= 0, got ${String(integrality)}.`,
    );
  }
  return { nodes, families, relaxation, integrality };
}

/** Default weight of the integrality penalty (`GraphTaskOptions.integrality`). */
export const DEFAULT_INTEGRALITY = 0.1;

/** One graph drawn for a task: relabelled uniformly at random, with its automorphism orbits. */
export interface GraphInstance {
  readonly family: GraphFamily;
  readonly adjacency: Float64Array;
  readonly orbits: number[][];
}

export function drawGraph(
  rng: Rng,
  nodes: number,
  families: readonly GraphFamily[],
  opts: GraphOptions,
): GraphInstance {
  const family = families[rng.int(families.length)] as GraphFamily;
  const adjacency = relabelGraph(
    makeGraph(family, nodes, rng, opts),
    nodes,
    rng.permutation(nodes),
  );
  return { family, adjacency, orbits: automorphismOrbits(adjacency, nodes) };
}

/** Row-wise z^T M z for z (B x n) and matrices (B x n x n, row-major): a [B] tensor. */
export function quadraticForms(z: tf.Tensor2D, m: Float32Array, nodes: number): tf.Tensor1D {
  const b = z.shape[0];
  const mt = tf.tensor3d(m, [b, nodes, nodes]);
  const mz = tf.matMul(mt, tf.reshape(z, [b, nodes, 1]));
  return tf.sum(tf.mul(tf.reshape(mz, [b, nodes]), z), 1) as tf.Tensor1D;
}

/** Sign rounding of scores: s_i = +1 where score >= -SCORE_TIE (ties go to +1), else -1. */
export function roundSpins(p: ArrayLike<number>, offset: number, nodes: number): Int8Array {
  const s = new Int8Array(nodes);
  for (let i = 0; i < nodes; i++) s[i] = (p[offset + i] as number) >= -SCORE_TIE ? 1 : -1;
  return s;
}

/** What the data of every graph spin task (`max-cut`, `ising`) hold; each task adds its fields. */
export interface GraphSpinData extends BreakingData {
  readonly nodes: number;
  readonly families: readonly GraphFamily[];
  /** Orbits of the instance's automorphism group per instance. */
  readonly orbits: readonly (readonly (readonly number[])[])[];
}

/** One instance of a graph spin task, as its `draw` returns it. */
export interface GraphSpinInstance {
  /** The input matrix, nodes x nodes row-major. */
  readonly matrix: ArrayLike<number>;
  readonly family: GraphFamily;
  readonly orbits: number[][];
  /** The best metric an exactly equivariant model reaches on this instance. */
  readonly equivariantBound: number;
  /** Whether the instance's symmetry keeps an exactly equivariant model from the optimum. */
  readonly symmetric: boolean;
}

/** What sets a graph spin task apart (its own data fields F, instances, loss and metric). */
export interface GraphSpinSpec<F extends object> {
  readonly name: string;
  readonly description: string;
  readonly nodes: number;
  /**
   * Starts a data set of n instances: `draw` draws instance b from the task's stream (keeping its
   * own references), then `fields` returns the task's own fields of the data.
   */
  start(n: number): {
    draw(rng: Rng, b: number): GraphSpinInstance;
    fields(): F;
  };
  /** How scores become z (see `GraphTaskOptions.relaxation`). */
  readonly relaxation: SpinRelaxation;
  /** Weight of the integrality penalty (see `GraphTaskOptions.integrality`). */
  readonly integrality: number;
  /** The loss of the relaxed spins z (rows x nodes), given the rows' input matrices. */
  loss(
    z: tf.Tensor2D,
    matrices: Float32Array,
    data: GraphSpinData & F,
    rows: Int32Array,
  ): tf.Scalar;
  readonly metricName: string;
  readonly higherIsBetter: boolean;
  /** The metric of instance b, given its input matrix and the sign rounding of its scores. */
  score(matrix: Float32Array, spins: Int8Array, data: GraphSpinData & F, b: number): number;
}

/**
 * A task on graphs with n vertices: S(n) acting on an n x n matrix (T(2)) and on one spin score
 * per node (V), unsupervised, with instances drawn from the stream `name` of the seed.
 */
export function graphSpinTask<F extends object>(
  spec: GraphSpinSpec<F>,
): SymmetryBreakingTask<GraphSpinData & F> {
  const { name, nodes } = spec;
  const inputDim = nodes * nodes;
  return {
    name,
    description: spec.description,
    group: `S(${nodes})`,
    repIn: "T(2)",
    repOut: "V",
    inputDim,
    outputDim: nodes,
    supervised: false,
    generate(g: BreakingGenerateOptions): GraphSpinData & F {
      const n = checkCount(g.n, `${name}: n`);
      const seed = g.seed ?? 0;
      const rng = new Rng(seed).fork(name);
      const x = new Float32Array(n * inputDim);
      const symmetric = new Uint8Array(n);
      const equivariantBound = new Float64Array(n);
      const orbits: number[][][] = [];
      const families: GraphFamily[] = [];
      const run = spec.start(n);
      for (let b = 0; b < n; b++) {
        const inst = run.draw(rng, b);
        x.set(inst.matrix, b * inputDim);
        equivariantBound[b] = inst.equivariantBound;
        symmetric[b] = inst.symmetric ? 1 : 0;
        orbits.push(inst.orbits);
        families.push(inst.family);
      }
      return {
        n,
        x,
        seed,
        symmetric,
        equivariantBound,
        nodes,
        families,
        ...run.fields(),
        orbits,
      };
    },
    loss(pred: tf.Tensor2D, data: GraphSpinData & F, rows?: ArrayLike<number>): tf.Scalar {
      const r = resolveRows(pred, data, nodes, name, rows);
      return tf.tidy(() => {
        const z = relaxSpins(pred, spec.relaxation);
        const base = spec.loss(z, gatherRows(data.x, inputDim, r), data, r);
        if (spec.integrality === 0) return base;
        const offInteger = tf.mean(tf.square(tf.sub(tf.square(z), 1)));
        return tf.add(base, tf.mul(spec.integrality, offInteger)) as tf.Scalar;
      });
    },
    metric(pred: Predictions, data: GraphSpinData & F) {
      const p = predictionArray(pred, data.n, nodes, name);
      const per = new Float64Array(data.n);
      for (let b = 0; b < data.n; b++) {
        const matrix = data.x.subarray(b * inputDim, (b + 1) * inputDim);
        per[b] = spec.score(matrix, roundSpins(p, b * nodes, nodes), data, b);
      }
      return summarize(spec.metricName, spec.higherIsBetter, per, data);
    },
  };
}

/** Continuous spins from scores: tanh, or each row rescaled to |z|² = n (see `SpinRelaxation`). */
export function relaxSpins(scores: tf.Tensor2D, relaxation: SpinRelaxation): tf.Tensor2D {
  if (relaxation === "tanh") return tf.tanh(scores);
  const n = scores.shape[1];
  const norm = tf.sqrt(tf.add(tf.sum(tf.square(scores), 1, true), 1e-12));
  return tf.mul(tf.div(scores, norm), Math.sqrt(n)) as tf.Tensor2D;
}
