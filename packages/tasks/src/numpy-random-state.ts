import { InvalidArgumentError } from "@isotropy/core";

const N = 624;
const M = 397;

/**
 * numpy's legacy `np.random.RandomState(seed)`, as far as emlp's data scripts use it: the same
 * MT19937 stream, `randn` (the polar method, its spare value kept between calls), and
 * `permutation` (Fisher-Yates from the top, bounded integers by masked rejection). With it, a
 * pool drawn under `np.random.seed(2021)` is drawn here to the last bit or two of float64 (the
 * logarithm and square root are the platform's, not glibc's).
 *
 * It exists only to reproduce emlp's published data; everything else samples with `Rng`.
 */
export class NumpyRandomState {
  private readonly mt = new Uint32Array(N);
  private pos = N;
  private gauss: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new InvalidArgumentError(
        `A numpy seed must be an integer in [0, 2^32 - 1], got ${seed}.`,
      );
    }
    let s = seed >>> 0;
    for (let i = 0; i < N; i++) {
      this.mt[i] = s;
      s = (Math.imul(1812433253, (s ^ (s >>> 30)) >>> 0) + i + 1) >>> 0;
    }
  }

  /** The next 32-bit output of MT19937. */
  uint32(): number {
    if (this.pos >= N) this.twist();
    let y = this.mt[this.pos++] as number;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** numpy's `random_sample()`: 53 bits from two outputs. */
  uniform(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** numpy's legacy `standard_normal()` (Marsaglia's polar method). */
  normal(): number {
    if (this.gauss !== null) {
      const g = this.gauss;
      this.gauss = null;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.uniform() - 1;
      x2 = 2 * this.uniform() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.gauss = f * x1;
    return f * x2;
  }

  /** `np.random.randn(n) * scale`, in the order numpy fills a C-ordered array. */
  normals(n: number, scale = 1): Float64Array {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = this.normal() * scale;
    return out;
  }

  /** `np.random.permutation(n)`. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.interval(i);
      const t = p[i] as number;
      p[i] = p[j] as number;
      p[j] = t;
    }
    return p;
  }

  /** A uniform integer in [0, max] (numpy's `random_interval`, max < 2^32). */
  private interval(max: number): number {
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    let v = (this.uint32() & mask) >>> 0;
    while (v > max) v = (this.uint32() & mask) >>> 0;
    return v;
  }

  private twist(): void {
    const mt = this.mt;
    for (let k = 0; k < N; k++) {
      const y = ((mt[k] as number) & 0x80000000) | ((mt[(k + 1) % N] as number) & 0x7fffffff);
      mt[k] = ((mt[(k + M) % N] as number) ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0)) >>> 0;
    }
    this.pos = 0;
  }
}
