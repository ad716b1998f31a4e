import { type Group, isIdentity } from "@isotropy/groups";
import { inverse, Matrix } from "@isotropy/linalg";

/** g^-1 (the transpose for orthogonal groups). */
export function groupInverse(group: Group, g: Matrix): Matrix {
  return group.isOrthogonal ? g.transpose() : inverse(g);
}

function elementKey(m: Matrix): string {
  let s = "";
  for (const v of m.data) s += `${Math.round(v * 1e6)},`;
  return s;
}

/**
 * A small generating set of the finite group whose elements are `elements` (greedy in list
 * order): an element joins when it is not yet in the closure of the ones before. Products are
 * matched to `universe` (a finite group containing them, e.g. all of G) to within 1e-6.
 */
export function greedyMatrixGenerators(
  elements: readonly Matrix[],
  universe: readonly Matrix[],
): Matrix[] {
  const index = new Map<string, number>();
  universe.forEach((m, i) => {
    index.set(elementKey(m), i);
  });
  const find = (m: Matrix): number => {
    const i = index.get(elementKey(m));
    if (i !== undefined) return i;
    for (let j = 0; j < universe.length; j++) if (universe[j]!.maxAbsDiff(m) < 1e-6) return j;
    return -1;
  };
  const gens: Matrix[] = [];
  const d = universe[0]?.rows ?? 0;
  let span = new Set<number>([find(Matrix.identity(d))]);
  const wanted = elements.map(find);
  for (let e = 0; e < elements.length; e++) {
    if (span.has(wanted[e]!) || isIdentity(elements[e]!, 1e-9)) continue;
    gens.push(elements[e]!);
    // Closure of the generators inside the universe.
    const seen = new Set<number>([find(Matrix.identity(d))]);
    const queue = [Matrix.identity(d)];
    for (let q = 0; q < queue.length; q++) {
      for (const g of gens) {
        const h = queue[q]!.mul(g);
        const k = find(h);
        if (k < 0 || seen.has(k)) continue;
        seen.add(k);
        queue.push(universe[k]!);
      }
    }
    span = seen;
    if (wanted.every((w) => span.has(w))) break;
  }
  return gens;
}
