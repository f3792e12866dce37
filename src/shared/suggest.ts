/** Edit distance (insertions, deletions, substitutions), for "did you mean" hints. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The candidates a mistyped word most likely meant: within two edits or sharing its start, nearest first. */
export function closeMatches(word: string, candidates: Iterable<string>, max = 3): string[] {
  const key = word.trim().toLowerCase();
  if (!key) return [];
  const scored: [string, number][] = [];
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const distance = editDistance(key, lower);
    const prefix = key.length >= 2 && lower.startsWith(key);
    if (distance <= Math.min(2, Math.max(1, key.length - 1)) || prefix) scored.push([candidate, prefix ? Math.min(distance, 1) : distance]);
  }
  return scored
    .sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))
    .slice(0, max)
    .map(([candidate]) => candidate);
}
