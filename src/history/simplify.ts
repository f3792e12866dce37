import type { GraphRow, PathTouches } from '../store/index.js';

/** The stored commit graph by seq. */
export interface CommitGraph {
  /** seq → parent seqs in parent order; -1 for a parent that is not stored (beyond a shallow clone's edge). */
  parents: Map<number, number[]>;
  hashes: Map<number, string>;
  seqOf: Map<string, number>;
  /** seq → committer time, what git's walk orders by. */
  dates: Map<number, number>;
}

export function buildGraph(rows: readonly GraphRow[]): CommitGraph {
  const seqOf = new Map<string, number>();
  const hashes = new Map<number, string>();
  const dates = new Map<number, number>();
  for (const row of rows) {
    seqOf.set(row.hash, row.seq);
    hashes.set(row.seq, row.hash);
    dates.set(row.seq, row.committerTime);
  }
  const parents = new Map<number, number[]>();
  for (const row of rows)
    parents.set(
      row.seq,
      row.parents.map((p) => seqOf.get(p) ?? -1),
    );
  return { parents, hashes, seqOf, dates };
}

/**
 * git's commit queue (`commit_list_insert_by_date`): newest committer date first, and among equal dates the one
 * queued first. The order git prints a walk in, which a pruned walk changes when dates are out of order.
 */
class DateQueue {
  private readonly heap: QueueEntry[] = [];
  private added = 0;

  constructor(private readonly dates: Map<number, number>) {}

  get size(): number {
    return this.heap.length;
  }

  push(seq: number): void {
    this.heap.push({ seq, date: this.dates.get(seq) ?? 0, n: this.added++ });
    let i = this.heap.length - 1;
    while (i > 0 && this.before(i, (i - 1) >> 1)) {
      this.swap(i, (i - 1) >> 1);
      i = (i - 1) >> 1;
    }
  }

  pop(): number {
    const top = this.entry(0).seq;
    const last = this.heap.pop() as QueueEntry;
    if (this.heap.length === 0) return top;
    this.heap[0] = last;
    for (let i = 0; ; ) {
      let best = i;
      for (const child of [2 * i + 1, 2 * i + 2]) if (child < this.heap.length && this.before(child, best)) best = child;
      if (best === i) return top;
      this.swap(i, best);
      i = best;
    }
  }

  private entry(i: number): QueueEntry {
    return this.heap[i] as QueueEntry;
  }

  private before(i: number, j: number): boolean {
    const a = this.entry(i);
    const b = this.entry(j);
    return a.date > b.date || (a.date === b.date && a.n < b.n);
  }

  private swap(i: number, j: number): void {
    [this.heap[i], this.heap[j]] = [this.entry(j), this.entry(i)];
  }
}

interface QueueEntry {
  seq: number;
  date: number;
  /** Queued n-th: ties on date go first in, first out. */
  n: number;
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
 * The seqs of the commits `git log [--full-history] -- path` lists (merges included), in its order.
 * `differs(merge, parent)` answers the comparisons `sidesToCompare` asked for.
 *
 * Default: walk from the head as git does (newest committer date first); a merge that is the same as one of its
 * parents for the path (the first such, in parent order) is left out and only that parent is followed; other
 * merges are listed and all parents followed; a non-merge commit is listed when it changed the path. Full
 * history: every commit is walked, so the order is the stored `git log` order; a merge is listed when it differs
 * from any parent.
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
  const queue = new DateQueue(graph.dates);
  const follow = (seqs: readonly number[]) => {
    for (const p of seqs) {
      if (p < 0 || seen.has(p)) continue;
      seen.add(p);
      queue.push(p);
    }
  };
  if (graph.parents.has(headSeq)) follow([headSeq]);
  while (queue.size > 0) {
    const seq = queue.pop();
    const all = graph.parents.get(seq) ?? [];
    if (all.length < 2) {
      if (changed.has(seq)) listed.push(seq);
      follow(all);
      continue;
    }
    if (!mergeChanged.has(seq)) {
      follow(all.slice(0, 1));
      continue;
    }
    const same = all.findIndex((p, i) => i > 0 && p >= 0 && !differs(seq, i));
    if (same > 0) {
      follow([all[same] as number]);
      continue;
    }
    listed.push(seq);
    follow(all);
  }
  return listed;
}
