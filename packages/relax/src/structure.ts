import type { IndexAction } from "./index-action.js";
import type { PairColours } from "./partition.js";
import { tupleCodes } from "./value-classes.js";

/**
 * x under a permutation group, as a coloured structure on n points: a colour per point (from the
 * V leaves and the diagonals of higher leaves), a colour per ordered pair (from the T(2) leaves,
 * both directions) and, for leaves of order 3 and more, their raw class codes (used only in the
 * certificate). All colours are canonical: they depend on x only through the multiset of
 * entries, so relabelling x relabels the structure.
 */
export interface ColouredStructure {
  readonly action: IndexAction;
  /** Class code of every entry of x (see `valueClasses`). */
  readonly entryCodes: Int32Array;
  readonly vertexColours: Int32Array;
  /** Pair colours; the diagonal holds offDiagonalCount + vertex colour. */
  readonly pairs: PairColours;
  /** Whether any leaf has order 2 or more (otherwise the structure is just coloured points). */
  readonly hasRelations: boolean;
}

export function colouredStructure(action: IndexAction, entryCodes: Int32Array): ColouredStructure {
  const { n, blocks } = action;
  const vBlocks = blocks.filter((b) => b.order >= 1);
  const pairBlocks = blocks.filter((b) => b.order === 2);
  // Point colours: V entries and the (v, ..., v) diagonal of each higher leaf.
  const w1 = vBlocks.length;
  const vt = new Int32Array(n * w1);
  for (let v = 0; v < n; v++) {
    vBlocks.forEach((b, k) => {
      let idx = 0;
      for (let a = 0; a < b.order; a++) idx = idx * n + v;
      vt[v * w1 + k] = entryCodes[b.positions[idx]!]!;
    });
  }
  const vertexColours = tupleCodes(vt, w1).codes;
  if (w1 === 0) vertexColours.fill(0);
  // Pair colours: (x[v, w], x[w, v]) of every T(2) leaf.
  const w2 = 2 * pairBlocks.length;
  const code = new Int32Array(n * n);
  let offCount = 1;
  if (w2 > 0 && n > 1) {
    const m = n * (n - 1);
    const pt = new Int32Array(m * w2);
    let r = 0;
    for (let v = 0; v < n; v++) {
      for (let w = 0; w < n; w++) {
        if (v === w) continue;
        pairBlocks.forEach((b, k) => {
          pt[r * w2 + 2 * k] = entryCodes[b.positions[v * n + w]!]!;
          pt[r * w2 + 2 * k + 1] = entryCodes[b.positions[w * n + v]!]!;
        });
        r++;
      }
    }
    const { codes, count } = tupleCodes(pt, w2);
    offCount = count;
    r = 0;
    for (let v = 0; v < n; v++) {
      for (let w = 0; w < n; w++) if (v !== w) code[v * n + w] = codes[r++]!;
    }
  }
  let maxColour = 0;
  for (let v = 0; v < n; v++) {
    code[v * n + v] = offCount + vertexColours[v]!;
    maxColour = Math.max(maxColour, vertexColours[v]!);
  }
  return {
    action,
    entryCodes,
    vertexColours,
    pairs: { n, code, count: offCount + maxColour + 1 },
    hasRelations: blocks.some((b) => b.order >= 2),
  };
}

/**
 * The certificate of a labelling lab (position -> point): the structure relabelled, as one
 * integer string: the pair colours row by row, then the codes of every leaf of order >= 3.
 * Two labellings have equal certificates iff lab2 ∘ lab1^-1 is an automorphism.
 */
export function certificate(s: ColouredStructure, lab: Int32Array): Int32Array {
  const { n, code } = s.pairs;
  const higher = s.action.blocks.filter((b) => b.order >= 3);
  let size = n * n;
  for (const b of higher) size += b.positions.length;
  const out = new Int32Array(size);
  let k = 0;
  for (let a = 0; a < n; a++) {
    const row = lab[a]! * n;
    for (let b = 0; b < n; b++) out[k++] = code[row + lab[b]!]!;
  }
  for (const b of higher) {
    const digits = new Int32Array(b.order);
    for (let t = 0; t < b.positions.length; t++) {
      let idx = 0;
      for (let a = 0; a < b.order; a++) idx = idx * n + lab[digits[a]!]!;
      out[k++] = s.entryCodes[b.positions[idx]!]!;
      for (let a = b.order - 1; a >= 0; a--) {
        if (++digits[a]! < n) break;
        digits[a] = 0;
      }
    }
  }
  return out;
}

/** Lexicographic comparison of two certificates of equal length. */
export function compareCertificates(a: Int32Array, b: Int32Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return 0;
}
