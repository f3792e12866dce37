import type { ContributorRow } from '../store/index.js';

/**
 * How commits are credited: `name` — one row per (mailmapped) author name, as `git shortlog -sn`; `email` — per
 * address, as `git shortlog -sn --group=format:%aE`; `identity` — per name and address, as `git shortlog -sne`.
 */
export type ContributorGrouping = 'name' | 'email' | 'identity';

const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

function keyOf(row: ContributorRow, by: ContributorGrouping): string {
  if (by === 'name') return row.name;
  if (by === 'email') return row.email;
  return `${row.name} <${row.email}>`;
}

/**
 * Rows per stored identity (name + email) grouped as `by` says, exactly (git compares bytes, not case). A group
 * shows the name and email of its most active identity, its earliest first and latest last commit. Most commits
 * first, ties in byte order of the group's key, as `git shortlog -n` sorts.
 */
export function groupContributors(rows: readonly ContributorRow[], by: ContributorGrouping = 'name'): ContributorRow[] {
  const groups = new Map<string, ContributorRow>();
  for (const row of [...rows].sort((a, b) => b.commits - a.commits || b.lastTime - a.lastTime)) {
    const key = keyOf(row, by);
    const seen = groups.get(key);
    if (!seen) {
      groups.set(key, { ...row });
      continue;
    }
    seen.commits += row.commits;
    seen.firstTime = Math.min(seen.firstTime, row.firstTime);
    seen.lastTime = Math.max(seen.lastTime, row.lastTime);
  }
  return [...groups.values()].sort((a, b) => b.commits - a.commits || byteOrder(keyOf(a, by), keyOf(b, by)));
}
