import { OrbitBasis } from "./block-basis.js";

/**
 * The invariant vectors of a permutation action on multi-indices [d]^k, exactly: a tensor is
 * fixed by the group iff it is constant on each orbit of the group on index tuples, so the
 * normalised orbit indicators are an orthonormal basis. No numerics, and only a union-find over
 * d^k tuples, which is where permutation groups beat a numerical null space by orders of
 * magnitude. Generators use the convention (P x)_i = x[perm[i]]; the tuple (i_1..i_k) is joined
 * to (perm[i_1]..perm[i_k]).
 */
export function orbitalInvariants(perms: readonly Int32Array[], d: number, k: number): OrbitBasis {
  const n = d ** k;
  const parent = new Int32Array(n);
  for (let i = 0; i < n; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  const digits = new Int32Array(k);
  for (const p of perms) {
    digits.fill(0);
    for (let t = 0; t < n; t++) {
      // image of tuple t under p, digits most significant first
      let img = 0;
      for (let a = 0; a < k; a++) img = img * d + p[digits[a]!]!;
      const ra = find(t);
      const rb = find(img);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
      // increment the mixed-radix counter
      for (let a = k - 1; a >= 0; a--) {
        if (++digits[a]! < d) break;
        digits[a] = 0;
      }
    }
  }
  // Orbits numbered by their smallest tuple, in increasing order: deterministic.
  const id = new Int32Array(n).fill(-1);
  const orbitOf = new Int32Array(n);
  let count = 0;
  for (let t = 0; t < n; t++) {
    const r = find(t);
    if (id[r] === -1) id[r] = count++;
    orbitOf[t] = id[r]!;
  }
  return new OrbitBasis(orbitOf, count);
}
