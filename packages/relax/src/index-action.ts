import type { Group } from "@isotropy/groups";
import { type Rep, TensorRep } from "@isotropy/reps";

/** One tensor leaf of a permutation representation: an order-r array over n points. */
export interface TensorBlock {
  /** The tensor order r (0 for a scalar, 1 for V, 2 for T(2) = V ⊗ V, ...). */
  readonly order: number;
  /**
   * positions[k] is the index in x of the leaf entry with multi-index k, written in base n with
   * the first axis most significant (the Kronecker layout).
   */
  readonly positions: Int32Array;
}

/**
 * How a permutation group of degree n acts on the coordinates of a representation built from
 * tensor powers of V: a permutation p (with (P v)_i = v[p[i]]) sends x to rho(P) x, whose entry
 * at index tuple (i_1, ..., i_r) of each leaf is x at (p[i_1], ..., p[i_r]).
 */
export interface IndexAction {
  readonly n: number;
  readonly size: number;
  readonly blocks: readonly TensorBlock[];
  /** The largest tensor order among the leaves. */
  readonly maxOrder: number;
}

/**
 * The index action of `rep`, or null when `group` is not a simple permutation group (a product
 * of groups, or matrices that are not permutations) or `rep` has a leaf that is not a tensor
 * power of V (a custom representation).
 */
export function indexActionOf(group: Group, rep: Rep): IndexAction | null {
  if (!group.isPermutation || !group.permutationGenerators || group.factors) return null;
  const n = group.d;
  const { leaves, perm } = rep.decompose();
  const blocks: TensorBlock[] = [];
  let offset = 0;
  let maxOrder = 0;
  for (const leaf of leaves) {
    if (!(leaf instanceof TensorRep) || leaf.factors.some((f) => f.factor !== 0)) return null;
    const order = leaf.factors.length;
    const positions = new Int32Array(leaf.size);
    for (let k = 0; k < leaf.size; k++) positions[k] = perm ? perm[offset + k]! : offset + k;
    blocks.push({ order, positions });
    maxOrder = Math.max(maxOrder, order);
    offset += leaf.size;
  }
  if (offset !== rep.size) return null;
  return { n, size: rep.size, blocks, maxOrder };
}

/**
 * The coordinate map of rho(P) for the permutation p: (rho(P) x)[i] = x[map[i]]. With p the
 * inverse of a labelling `lab` (position -> point), rho(P) x is x relabelled: its entry at
 * (a_1, ..., a_r) is x at (lab[a_1], ..., lab[a_r]).
 */
export function coordinateMap(action: IndexAction, p: ArrayLike<number>): Int32Array {
  const { n } = action;
  const map = new Int32Array(action.size);
  const digits = new Int32Array(Math.max(1, action.maxOrder));
  for (const { order, positions } of action.blocks) {
    if (order === 0) {
      map[positions[0]!] = positions[0]!;
    } else if (order === 1) {
      for (let i = 0; i < n; i++) map[positions[i]!] = positions[p[i]!]!;
    } else if (order === 2) {
      for (let i = 0; i < n; i++) {
        const pi = p[i]! * n;
        for (let j = 0; j < n; j++) map[positions[i * n + j]!] = positions[pi + p[j]!]!;
      }
    } else {
      digits.fill(0);
      for (let k = 0; k < positions.length; k++) {
        let target = 0;
        for (let a = 0; a < order; a++) target = target * n + p[digits[a]!]!;
        map[positions[k]!] = positions[target]!;
        for (let a = order - 1; a >= 0; a--) {
          if (++digits[a]! < n) break;
          digits[a] = 0;
        }
      }
    }
  }
  return map;
}

/** rho(P) x for the permutation p (see `coordinateMap`). */
export function permuteCoordinates<T extends Float64Array | Int32Array>(
  action: IndexAction,
  p: ArrayLike<number>,
  x: T,
): T {
  const map = coordinateMap(action, p);
  const out = new (x.constructor as new (n: number) => T)(x.length);
  for (let i = 0; i < map.length; i++) out[i] = x[map[i]!]!;
  return out;
}
