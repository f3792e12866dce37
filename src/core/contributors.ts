import type { ContributorRow } from '../store/index.js';

/**
 * The same person under several emails (after .mailmap) counts once: rows with the same name, ignoring case,
 * are merged, keeping the email of their most active identity, the earliest first and the latest last commit.
 */
export function mergeContributors(rows: readonly ContributorRow[]): ContributorRow[] {
  const byName = new Map<string, ContributorRow>();
  for (const row of [...rows].sort((a, b) => b.commits - a.commits || b.lastTime - a.lastTime)) {
    const key = row.name.toLowerCase();
    const seen = byName.get(key);
    if (!seen) {
      byName.set(key, { ...row });
      continue;
    }
    seen.commits += row.commits;
    seen.firstTime = Math.min(seen.firstTime, row.firstTime);
    seen.lastTime = Math.max(seen.lastTime, row.lastTime);
  }
  return [...byName.values()].sort((a, b) => b.commits - a.commits || b.lastTime - a.lastTime);
}
