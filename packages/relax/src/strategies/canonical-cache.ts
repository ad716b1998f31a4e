import type { Group } from "@isotropy/groups";
import type { Rep } from "@isotropy/reps";
import { type Canonicalization, canonicalize } from "../canonicalize.js";

/**
 * Canonical forms of input rows, memoised on their exact float32 bits (a training set is
 * canonicalised once, not once per epoch). At most `capacity` rows are kept (oldest dropped).
 */
export class CanonicalCache {
  private readonly map = new Map<string, Canonicalization>();

  constructor(
    readonly group: Group,
    readonly rep: Rep,
    readonly tol: number,
    readonly capacity = 4096,
  ) {}

  get(row: Float32Array): Canonicalization {
    const key = new Uint32Array(Float32Array.from(row).buffer).join(",");
    let c = this.map.get(key);
    if (!c) {
      c = canonicalize(this.group, this.rep, Float64Array.from(row), { tol: this.tol });
      if (this.map.size >= this.capacity) this.map.delete(this.map.keys().next().value!);
      this.map.set(key, c);
    }
    return c;
  }
}
