import { InvalidArgumentError } from "./errors.js";

/**
 * The seeded random generator every package samples with.
 *
 * Algorithm: xoshiro128** (Blackman & Vigna 2018), a 128-bit-state generator with good
 * statistical quality and fast 32-bit arithmetic in JavaScript. The state is filled from the seed
 * by splitmix32, so nearby seeds give unrelated streams. Doubles take 53 bits from two outputs.
 * Normals use the Box-Muller transform (the spare value is part of the state, so `state()` /
 * `Rng.fromState()` resume a stream exactly, e.g. from a training checkpoint).
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed: number | string = 0) {
    let x = typeof seed === "string" ? hashString(seed) : seedToUint32(seed);
    const next = () => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A generator that continues exactly where `state` was taken. */
  static fromState(state: RngState): Rng {
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.s;
    r.spare = state.spare;
    return r;
  }

  /** The full state, as plain JSON. */
  state(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare };
  }

  /** A uniform 32-bit unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.uint32() >>> 5; // 27 bits
    const lo = this.uint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** A uniform double in [lo, hi). */
  range(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** A uniform integer in [0, n), without modulo bias. */
  int(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) {
      throw new InvalidArgumentError(`Rng.int(n) needs an integer 1 <= n <= 2^32, got ${n}.`);
    }
    const limit = 2 ** 32 - (2 ** 32 % n);
    let v = this.uint32();
    while (v >= limit) v = this.uint32();
    return v % n;
  }

  /** A standard normal sample. */
  normal(): number {
    if (this.spare !== null) {
      const s = this.spare;
      this.spare = null;
      return s;
    }
    let u = this.uniform();
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** `n` standard normals (times `scale`). */
  normals(n: number, scale = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = scale * this.normal();
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    this.shuffle(p);
    return p;
  }

  /** Shuffles in place (Fisher-Yates) and returns the same array. */
  shuffle<T extends { length: number; [i: number]: unknown }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }

  /** An independent child stream, named by `label`, that does not disturb this one's sequence. */
  fork(label: string | number): Rng {
    const [a, b, c, d] = [this.s0, this.s1, this.s2, this.s3];
    return new Rng(`${a}:${b}:${c}:${d}:${label}`);
  }
}

export interface RngState {
  s: [number, number, number, number];
  spare: number | null;
}

/** A generator from a seed: `rng(42)`. */
export function rng(seed: number | string = 0): Rng {
  return new Rng(seed);
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function seedToUint32(seed: number): number {
  if (!Number.isFinite(seed)) throw new InvalidArgumentError(`A seed must be finite, got ${seed}.`);
  // Fold the integer and fractional parts so that large and non-integer seeds still differ.
  const hi = Math.floor(seed / 2 ** 32);
  return (Math.floor(seed) ^ Math.imul(hi, 0x27d4eb2d) ^ Math.floor((seed % 1) * 2 ** 31)) >>> 0;
}

function hashString(s: string): number {
  // FNV-1a
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
