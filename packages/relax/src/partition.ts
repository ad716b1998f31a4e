// Ordered partitions of 0..n-1 and their equitable refinement against a coloured complete
// digraph (the pair-code matrix of `structure.ts`). Everything is decided by cell positions and
// by the codes, never by point names, so refinement commutes with relabelling: the property the
// canonical-labelling search needs.

/** Mixes an integer into a 32-bit hash. */
export function mix(h: number, v: number): number {
  h = Math.imul(h ^ v, 0x9e3779b1);
  return (h ^ (h >>> 15)) >>> 0;
}

/** An ordered partition: cells are contiguous runs of `lab`, named by their start position. */
export class Partition {
  /** lab[i] is the point at position i. */
  readonly lab: Int32Array;
  /** For a cell starting at s: cellEnd[s] is one past its last position. */
  readonly cellEnd: Int32Array;
  /** cellOf[v] is the start of the cell that holds point v. */
  readonly cellOf: Int32Array;
  cells: number;
  /** Hash of the refinement trace so far: an isomorphism invariant of the search node. */
  trace: number;

  constructor(n: number, lab?: Int32Array, cellEnd?: Int32Array, cellOf?: Int32Array) {
    this.lab = lab ?? new Int32Array(n);
    this.cellEnd = cellEnd ?? new Int32Array(n);
    this.cellOf = cellOf ?? new Int32Array(n);
    this.cells = 0;
    this.trace = 0x811c9dc5;
  }

  get n(): number {
    return this.lab.length;
  }

  get isDiscrete(): boolean {
    return this.cells === this.lab.length;
  }

  clone(): Partition {
    const p = new Partition(this.n, this.lab.slice(), this.cellEnd.slice(), this.cellOf.slice());
    p.cells = this.cells;
    p.trace = this.trace;
    return p;
  }

  /** The partition into cells of equal colour, cells in increasing colour order. */
  static fromColours(colours: Int32Array): Partition {
    const n = colours.length;
    const p = new Partition(n);
    const order = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => colours[a]! - colours[b]! || a - b,
    );
    let start = 0;
    for (let i = 0; i < n; i++) {
      p.lab[i] = order[i]!;
      if (i > 0 && colours[order[i]!] !== colours[order[i - 1]!]) {
        p.cellEnd[start] = i;
        start = i;
        p.cells++;
      }
      p.cellOf[order[i]!] = start;
    }
    if (n > 0) {
      p.cellEnd[start] = n;
      p.cells++;
    }
    p.trace = mix(p.trace, p.cells);
    return p;
  }

  /** The start of the first smallest cell with more than one point, or -1 when discrete. */
  targetCell(): number {
    let best = -1;
    let size = Number.POSITIVE_INFINITY;
    for (let s = 0; s < this.n; s = this.cellEnd[s]!) {
      const k = this.cellEnd[s]! - s;
      if (k > 1 && k < size) {
        best = s;
        size = k;
        if (k === 2) break;
      }
    }
    return best;
  }

  /** Splits point v off the front of its cell; returns the start of the new singleton cell. */
  individualize(v: number): number {
    const s = this.cellOf[v]!;
    const e = this.cellEnd[s]!;
    if (e - s === 1) return s;
    const at = this.lab.indexOf(v, s);
    this.lab[at] = this.lab[s]!;
    this.lab[s] = v;
    this.cellEnd[s] = s + 1;
    this.cellEnd[s + 1] = e;
    for (let i = s + 1; i < e; i++) this.cellOf[this.lab[i]!] = s + 1;
    this.cells++;
    this.trace = mix(mix(this.trace, s), e - s);
    return s;
  }
}

/** The pair colours refinement works with: code[v * n + w] in 0..count-1. */
export interface PairColours {
  readonly n: number;
  readonly code: Int32Array;
  readonly count: number;
}

// Codes per point counted as a histogram when there are at most this many distinct codes;
// otherwise each point's key is its sorted list of codes towards the splitter.
const HISTOGRAM_CODES = 16;

/**
 * Refines `p` to the coarsest equitable partition below it: repeatedly takes the queued cell W
 * of least start and splits every cell by the multiset of codes code[v][w], w in W, fragments in
 * increasing order of that multiset. `queue` flags cell starts (it is consumed).
 */
export function refine(p: Partition, colours: PairColours, queue: Uint8Array): void {
  const { n, code, count } = colours;
  const hist = count <= HISTOGRAM_CODES;
  let keyBuf = new Int32Array(0);
  const perm: number[] = [];
  for (;;) {
    if (p.isDiscrete) return;
    let w0 = -1;
    for (let s = 0; s < n; s = p.cellEnd[s]!) {
      if (queue[s]) {
        w0 = s;
        break;
      }
    }
    if (w0 < 0) return;
    queue[w0] = 0;
    const w1 = p.cellEnd[w0]!;
    const width = hist ? count : w1 - w0;
    if (keyBuf.length < n * width) keyBuf = new Int32Array(n * width);
    // Keys of the points in cells that can still split.
    for (let s = 0; s < n; s = p.cellEnd[s]!) {
      const e = p.cellEnd[s]!;
      if (e - s === 1) continue;
      for (let i = s; i < e; i++) {
        const v = p.lab[i]!;
        const base = v * width;
        const row = v * n;
        if (hist) {
          keyBuf.fill(0, base, base + width);
          for (let j = w0; j < w1; j++) keyBuf[base + code[row + p.lab[j]!]!]!++;
        } else {
          for (let j = w0; j < w1; j++) keyBuf[base + j - w0] = code[row + p.lab[j]!]!;
          keyBuf.subarray(base, base + width).sort();
        }
      }
    }
    const cmp = (a: number, b: number) => {
      const ba = a * width;
      const bb = b * width;
      for (let k = 0; k < width; k++) {
        const d = keyBuf[ba + k]! - keyBuf[bb + k]!;
        if (d !== 0) return d;
      }
      return 0;
    };
    const keyHash = (v: number) => {
      let h = 0;
      for (let k = 0; k < width; k++) h = mix(h, keyBuf[v * width + k]!);
      return h;
    };
    p.trace = mix(p.trace, w0);
    for (let s = 0; s < n; ) {
      const e = p.cellEnd[s]!;
      if (e - s === 1) {
        s = e;
        continue;
      }
      perm.length = 0;
      for (let i = s; i < e; i++) perm.push(p.lab[i]!);
      perm.sort(cmp);
      let frags = 1;
      for (let i = 1; i < perm.length; i++) if (cmp(perm[i - 1]!, perm[i]!) !== 0) frags++;
      p.trace = mix(mix(p.trace, keyHash(perm[0]!)), frags);
      if (frags > 1) {
        let start = s;
        for (let i = 0; i < perm.length; i++) {
          const v = perm[i]!;
          if (i > 0 && cmp(perm[i - 1]!, v) !== 0) {
            p.cellEnd[start] = s + i;
            p.trace = mix(mix(p.trace, s + i - start), keyHash(perm[i - 1]!));
            queue[start] = 1;
            start = s + i;
          }
          p.lab[s + i] = v;
          p.cellOf[v] = start;
        }
        p.cellEnd[start] = e;
        p.trace = mix(p.trace, e - start);
        queue[start] = 1;
        p.cells += frags - 1;
      }
      s = e;
    }
  }
}
