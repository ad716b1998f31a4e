import { distance } from "fastest-levenshtein";

/**
 * The known names nearest to `requested` (case-insensitive edit distance), best first: those
 * within about a third of the name's length, or sharing a prefix.
 */
export function nearestNames(requested: string, known: Iterable<string>, max = 3): string[] {
  const want = normalize(requested);
  const scored: { name: string; score: number }[] = [];
  for (const name of new Set(known)) {
    const have = normalize(name);
    const d = distance(want, have);
    const limit = Math.max(2, Math.ceil(Math.max(want.length, have.length) / 3));
    const prefix = want.length >= 2 && (have.startsWith(want) || want.startsWith(have));
    if (d <= limit || prefix) scored.push({ name, score: prefix ? Math.min(d, 1) : d });
  }
  scored.sort((a, b) => a.score - b.score || a.name.localeCompare(b.name));
  return scored.slice(0, max).map((s) => s.name);
}

// Case and the usual look-alikes (zero for O, one for l) do not count as differences.
function normalize(s: string): string {
  return s.toLowerCase().replace(/0/g, "o").replace(/1/g, "l");
}
