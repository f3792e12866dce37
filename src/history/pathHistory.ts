import { existsSync } from 'node:fs';
import type { GitCredentials } from '../git/index.js';
import type { Logger } from '../shared/logger.js';
import type { HistoryStore, RepoRecord } from '../store/index.js';
import { pathDiffers } from './pathDiffers.js';
import { buildGraph, type CommitGraph, type SimplifyMode, sidesToCompare, simplifiedHistory } from './simplify.js';

/** The commits of one path's history, as `git log [--full-history] -- path` lists them (merges included). */
export interface PathHistory {
  /** Seqs, newest first. */
  seqs: number[];
  /** The seqs among them that are merges. */
  merges: Set<number>;
  /**
   * False when the clone was not there to compare merges with their later parents: merges that changed the path
   * against their first parent were then taken as differing from the others too.
   */
  exact: boolean;
}

/** Answers kept per store: a path's history costs a walk of the whole graph and, for merges, a git process. */
const MAX_CACHED_PATHS = 256;

interface StoreCache {
  graphs: Map<number, { key: string; graph: CommitGraph }>;
  paths: Map<string, PathHistory>;
}

const caches = new WeakMap<HistoryStore, StoreCache>();

function cacheOf(store: HistoryStore): StoreCache {
  let cache = caches.get(store);
  if (!cache) {
    cache = { graphs: new Map(), paths: new Map() };
    caches.set(store, cache);
  }
  return cache;
}

async function graphOf(store: HistoryStore, repoId: number, key: string): Promise<CommitGraph> {
  const cache = cacheOf(store);
  const held = cache.graphs.get(repoId);
  if (held?.key === key) return held.graph;
  const graph = buildGraph(await store.commitGraph(repoId));
  cache.graphs.set(repoId, { key, graph });
  return graph;
}

/**
 * The history of `path` (file or folder) under git's default simplification or `--full-history`, from the stored
 * graph and path changes; merges are compared with their later parents by git, in the clone, when the mode needs
 * it. Answers are cached per stored head.
 */
export async function pathHistory(
  deps: { store: HistoryStore; log: Logger },
  repo: Pick<RepoRecord, 'id' | 'name' | 'localPath'>,
  path: string,
  mode: SimplifyMode,
  options: { signal?: AbortSignal; credentials?: GitCredentials | null } = {},
): Promise<PathHistory> {
  const { store } = deps;
  const state = await store.getState(repo.id);
  const headKey = `${state?.head ?? ''}\u0000${state?.ingestedAt ?? ''}`;
  const cache = cacheOf(store);
  const key = `${repo.id}\u0000${headKey}\u0000${mode}\u0000${path}`;
  const cached = cache.paths.get(key);
  if (cached) {
    // Most recently used last.
    cache.paths.delete(key);
    cache.paths.set(key, cached);
    return cached;
  }
  const [graph, touches] = await Promise.all([graphOf(store, repo.id, headKey), store.pathTouches(repo.id, path)]);
  const sides = sidesToCompare(graph, touches, mode);
  const differing = new Set<string>();
  let exact = true;
  if (sides.length > 0) {
    const pairs = sides.map((s) => {
      const merge = graph.hashes.get(s.merge) as string;
      const parent = graph.hashes.get(graph.parents.get(s.merge)?.[s.parent] as number) as string;
      return [merge, parent] as const;
    });
    let answers: boolean[] | null = null;
    if (existsSync(repo.localPath)) {
      try {
        answers = await pathDiffers(repo.localPath, path, pairs, options);
      } catch (error) {
        options.signal?.throwIfAborted();
        deps.log.warn('could not compare merges with their parents; history of the path is approximate', {
          repo: repo.name,
          error: (error as Error).message,
        });
      }
    }
    if (answers === null) exact = false;
    sides.forEach((s, i) => {
      if (answers === null ? mode === 'default' : answers[i]) differing.add(`${s.merge}:${s.parent}`);
    });
  }
  const headSeq = state?.head ? (graph.seqOf.get(state.head) ?? -1) : -1;
  const seqs = simplifiedHistory(graph, headSeq, touches, (merge, parent) => differing.has(`${merge}:${parent}`), mode);
  const merges = new Set(seqs.filter((s) => (graph.parents.get(s)?.length ?? 0) > 1));
  const result: PathHistory = { seqs, merges, exact };
  cache.paths.set(key, result);
  if (cache.paths.size > MAX_CACHED_PATHS) cache.paths.delete(cache.paths.keys().next().value as string);
  return result;
}
