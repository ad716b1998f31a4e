import { InvalidArgumentError } from "@isotropy/core";
import type { Group } from "@isotropy/groups";
import { DualRep, type Rep } from "./rep.js";
import { bindRepOps } from "./rep-ops.js";
import { SumRep } from "./sum-rep.js";
import { TensorRep } from "./tensor-rep.js";

/** The base representation V of `group` (for a product group: the sum of its factors' V). */
export function V(group: Group, factor?: number): Rep {
  if (factor !== undefined) {
    const n = group.factors?.length ?? 1;
    if (!Number.isInteger(factor) || factor < 0 || factor >= n) {
      throw new InvalidArgumentError(
        `${group.name} has ${n} factor${n === 1 ? "" : "s"}; V[${factor}] does not exist.`,
      );
    }
    return new TensorRep(group, [{ factor, dual: false }]);
  }
  if (!group.factors) return new TensorRep(group, [{ factor: 0, dual: false }]);
  return new SumRep(
    group,
    group.factors.map((_, i) => new TensorRep(group, [{ factor: i, dual: false }])),
  );
}

/** The trivial one-dimensional representation. */
export function Scalar(group: Group): Rep {
  return new TensorRep(group, []);
}

/** T(p, q) = V^{⊗p} ⊗ V*^{⊗q}. */
export function T(group: Group, p: number, q = 0, factor?: number): Rep {
  checkCount(p, "p");
  checkCount(q, "q");
  const v = V(group, factor);
  let out = Scalar(group);
  for (let i = 0; i < p; i++) out = tensor(out, v);
  const vd = dual(v);
  for (let i = 0; i < q; i++) out = tensor(out, vd);
  return out;
}

export function dual(r: Rep): Rep {
  if (r instanceof TensorRep) {
    return new TensorRep(
      r.group,
      r.factors.map((f) => ({ factor: f.factor, dual: !f.dual })),
    );
  }
  if (r instanceof SumRep) return new SumRep(r.group, r.leaves.map(dual), r.perm);
  if (r instanceof DualRep) return r.base;
  return new DualRep(r);
}

export function sum(a: Rep, b: Rep): Rep {
  sameGroup(a, b, "add");
  const da = a.decompose();
  const db = b.decompose();
  let perm: Int32Array | null = null;
  if (da.perm || db.perm) {
    perm = new Int32Array(a.size + b.size);
    for (let k = 0; k < a.size; k++) perm[k] = da.perm ? da.perm[k]! : k;
    for (let k = 0; k < b.size; k++) perm[a.size + k] = a.size + (db.perm ? db.perm[k]! : k);
  }
  return new SumRep(a.group, [...da.leaves, ...db.leaves], perm);
}

export function multiple(n: number, r: Rep): Rep {
  checkCount(n, "a multiplicity");
  if (n === 0) return new SumRep(r.group, []);
  let out = r;
  for (let i = 1; i < n; i++) out = sum(out, r);
  return out;
}

/**
 * a ⊗ b in Kronecker layout (index ia * |b| + ib). Sums distribute: leaf pairs (i, j) in
 * canonical order, with the permutation that maps them back to the Kronecker layout.
 */
export function tensor(a: Rep, b: Rep): Rep {
  sameGroup(a, b, "multiply");
  const da = a.decompose();
  const db = b.decompose();
  if (da.leaves.length === 1 && db.leaves.length === 1 && !da.perm && !db.perm) {
    return leafTensor(a, b);
  }
  const leaves: Rep[] = [];
  const perm = new Int32Array(a.size * b.size);
  let k = 0;
  let offA = 0;
  for (const la of da.leaves) {
    let offB = 0;
    for (const lb of db.leaves) {
      leaves.push(leafTensor(la, lb));
      for (let u = 0; u < la.size; u++) {
        const pa = da.perm ? da.perm[offA + u]! : offA + u;
        for (let v = 0; v < lb.size; v++) {
          const pb = db.perm ? db.perm[offB + v]! : offB + v;
          perm[k++] = pa * b.size + pb;
        }
      }
      offB += lb.size;
    }
    offA += la.size;
  }
  return new SumRep(a.group, leaves, isIdentity(perm) ? null : perm);
}

export function power(r: Rep, k: number): Rep {
  checkCount(k, "an exponent");
  let out = Scalar(r.group);
  for (let i = 0; i < k; i++) out = tensor(out, r);
  return out;
}

/** The rep of linear maps from -> to: to ⊗ from*. */
export function mapRep(from: Rep, to: Rep): Rep {
  return tensor(to, dual(from));
}

function leafTensor(a: Rep, b: Rep): Rep {
  if (a instanceof TensorRep && b instanceof TensorRep) {
    return new TensorRep(a.group, [...a.factors, ...b.factors]);
  }
  if (a instanceof TensorRep && a.factors.length === 0) return b;
  if (b instanceof TensorRep && b.factors.length === 0) return a;
  throw new InvalidArgumentError(
    `Tensor products with the custom representation ${a instanceof TensorRep ? b : a} are not supported; ` +
      "define the product as its own Rep subclass.",
  );
}

function sameGroup(a: Rep, b: Rep, verb: string): void {
  if (a.group.name !== b.group.name) {
    throw new InvalidArgumentError(
      `Cannot ${verb} representations of different groups (${a.group.name} and ${b.group.name}).`,
    );
  }
}

function checkCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0) {
    throw new InvalidArgumentError(`Expected ${what} that is a non-negative integer, got ${n}.`);
  }
}

function isIdentity(p: Int32Array): boolean {
  for (let i = 0; i < p.length; i++) if (p[i] !== i) return false;
  return true;
}

bindRepOps({ dual, sum, multiple, tensor, power });
