import type { GraphRow, PathTouches } from '../store/index.js';

/** The stored commit graph by seq. */
export interface CommitGraph {
  /** seq → parent seqs in parent order; -1 for a parent that is not stored (beyond a shallow clone's edge). */
  parents: Map<number, number[]>;
  hashes: Map<number, string>;
  seqOf: Map<string, number>;
}

export function buildGraph(rows: readonly GraphRow[]): CommitGraph {
  const seqOf = new Map<string, number>();
  const hashes = new Map<number, string>();
  for (const row of rows) {
    seqOf.set(row.hash, row.seq);
    hashes.set(row.seq, row.hash);
  }
  const parents = new Map<number, number[]>();
  for (const row of rows)
    parents.set(
      row.seq,
      row.parents.map((p) => seqOf.get(p) ?? -1),
    );
  return { parents, hashes, seqOf };
}

/**
 * `default`: git's default history simplification (`git log -- path`); `full`: `git log --full-history -- path`
 * (without parent rewriting: every commit that differs from a parent).
 */
export type SimplifyMode = 'default' | 'full';

/** A merge and the index (≥ 1) of one of its later parents. */
export interface MergeSide {
  merge: number;
  parent: number;
}

/**
 * The comparisons of merges with their later parents that `mode` needs, which the store cannot answer (it holds
 * a merge's changes against its first parent only). Default: the merges that changed the path against their
 * first parent (is another parent the same? then git follows that one alone). Full history with merges: the
 * merges that did not (a merge that differs from any parent is listed).
 */
export function sidesToCompare(graph: CommitGraph, touches: PathTouches, mode: SimplifyMode): MergeSide[] {
  const touched = new Set(touches.merges);
  const sides: MergeSide[] = [];
  for (const [merge, parents] of graph.parents) {
    if (parents.length < 2 || touched.has(merge) !== (mode === 'default')) continue;
    for (let parent = 1; parent < parents.length; parent++) if ((parents[parent] ?? -1) >= 0) sides.push({ merge, parent });
  }
  return sides;
}

/**
 * The seqs of the commits `git log [--full-history] -- path` lists (merges included), newest first.
 * `differs(merge, parent)` answers the comparisons `sidesToCompare` asked for.
 *
 * Default: walk from the head; a merge that is the same as one of its parents for the path (the first such, in
 * parent order) is left out and only that parent is followed; other merges are listed and all parents followed;
 * a non-merge commit is listed when it changed the path. Full history: every commit is walked; a merge is
 * listed when it differs from any parent.
 */
export function simplifiedHistory(
  graph: CommitGraph,
  headSeq: number,
  touches: PathTouches,
  differs: (merge: number, parent: number) => boolean,
  mode: SimplifyMode,
): number[] {
  const changed = new Set(touches.commits);
  const mergeChanged = new Set(touches.merges);
  const listed: number[] = [];
  if (mode === 'full') {
    for (const [seq, parents] of graph.parents) {
      if (parents.length < 2) {
        if (changed.has(seq)) listed.push(seq);
      } else if (mergeChanged.has(seq) || parents.some((p, i) => i > 0 && p >= 0 && differs(seq, i))) {
        listed.push(seq);
      }
    }
    return listed.sort((a, b) => b - a);
  }
  const seen = new Set<number>();
  const stack = graph.parents.has(headSeq) ? [headSeq] : [];
  while (stack.length > 0) {
    const seq = stack.pop() as number;
    if (seen.has(seq)) continue;
    seen.add(seq);
    const parents = (graph.parents.get(seq) ?? []).filter((p) => p >= 0);
    const all = graph.parents.get(seq) ?? [];
    if (all.length < 2) {
      if (changed.has(seq)) listed.push(seq);
      stack.push(...parents);
      continue;
    }
    if (!mergeChanged.has(seq)) {
      if ((all[0] ?? -1) >= 0) stack.push(all[0] as number);
      continue;
    }
    const same = all.findIndex((p, i) => i > 0 && p >= 0 && !differs(seq, i));
    if (same > 0) {
      stack.push(all[same] as number);
      continue;
    }
    listed.push(seq);
    stack.push(...parents);
  }
  return listed.sort((a, b) => b - a);
}
