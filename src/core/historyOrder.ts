/**
 * A date-ordered answer over several repositories' history. `items` holds each repository's matches in its store's
 * order (`git log`'s order, newest first, or its reverse for `oldest`); each repository keeps that order, and the
 * repositories are interleaved by author date. A sort by author date instead would move a rebased commit (an old
 * author date on a new commit) away from where `git log` and `gitlore log` list it, and reorder a page the store cut
 * in git's order.
 */
export function interleaveByDate<T extends { repo: unknown }>(
  items: readonly T[],
  time: (item: T) => number,
  order: 'newest' | 'oldest',
  limit: number,
): T[] {
  const byRepo = new Map<unknown, T[]>();
  for (const item of items) {
    const list = byRepo.get(item.repo);
    if (list) list.push(item);
    else byRepo.set(item.repo, [item]);
  }
  const lists = [...byRepo.values()];
  const at = lists.map(() => 0);
  const out: T[] = [];
  while (out.length < limit) {
    let best = -1;
    let bestTime = 0;
    for (const [i, list] of lists.entries()) {
      const item = list[at[i] as number];
      if (item === undefined) continue;
      const t = time(item);
      if (best < 0 || (order === 'newest' ? t > bestTime : t < bestTime)) {
        best = i;
        bestTime = t;
      }
    }
    if (best < 0) break;
    out.push(lists[best]![at[best]!++] as T);
  }
  return out;
}
