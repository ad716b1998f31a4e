import { InvalidArgumentError, type Rng } from "@isotropy/core";
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

/** Options shared by `max-cut` and `ising`. */
export interface GraphTaskOptions extends GraphOptions {
  /** Vertices per graph; default 10 (exact references need n <= 20). */
  readonly nodes?: number;
  /** Families to draw from (uniformly); default every family with a member on `nodes` vertices. */
  readonly families?: readonly GraphFamily[];
}

/** Largest n for which the tasks compute exact references. */
export const MAX_REFERENCE_N = 20;

export function resolveGraphOptions(
  task: string,
  opts: GraphTaskOptions,
): {
  nodes: number;
  families: GraphFamily[];
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
  return { nodes, families };
}

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

/** Sign rounding of scores: s_i = +1 where score >= 0, else -1. */
export function roundSpins(p: ArrayLike<number>, offset: number, nodes: number): Int8Array {
  const s = new Int8Array(nodes);
  for (let i = 0; i < nodes; i++) s[i] = (p[offset + i] as number) >= 0 ? 1 : -1;
  return s;
}
