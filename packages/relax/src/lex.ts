/**
 * Lexicographic comparison with a resolution: entries closer than eps count as equal, the first
 * entry that differs by more decides. Returns -1, 0 or 1.
 */
export function compareLex(a: ArrayLike<number>, b: ArrayLike<number>, eps: number): number {
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    if (d > eps) return 1;
    if (d < -eps) return -1;
  }
  return 0;
}
