import type { VectorSearchInfo } from '../store/index.js';
import type { RequestContext } from './context.js';
import { visibleRepos } from './repoGate.js';

export interface RepoIndexStatus {
  repo: string;
  /** Commit the index reflects; null until the first complete run. */
  commit: string | null;
  /** Commit the clone is at; differs from `commit` when a reindex is due. */
  headCommit: string | null;
  status: 'pending' | 'indexing' | 'ok' | 'failed' | 'cancelled' | 'not indexed';
  upToDate: boolean;
  files: number;
  chunks: number;
  symbols: number;
  embedded: number;
  /** embedded / chunks, 0..1. */
  embeddedShare: number;
  bytes: number;
  indexedAt: string | null;
  lastDurationMs: number | null;
  skipped: number;
  errors: string[];
}

export interface IndexStatusReport {
  embeddingModel: string | null;
  /**
   * How semantic search finds neighbours: `exact` scans every vector; `approximate` asks the HNSW graph of
   * `graphVectors` vectors, `graphCurrent` false when chunks changed since its last update (they are scanned exactly).
   */
  vectorSearch: VectorSearchInfo;
  repos: RepoIndexStatus[];
}

/** `gitlore index status` and GET /api/index/status: the repositories the principal may see. */
export async function indexStatus(_input: Record<string, never>, ctx: RequestContext): Promise<IndexStatusReport> {
  const { store } = ctx.services;
  const repos = await visibleRepos(ctx);
  const states = new Map((await store.index.listStates()).map((s) => [s.repoId, s]));
  const model = await store.index.getMeta('embedding_model');
  const out: RepoIndexStatus[] = [];
  for (const repo of repos) {
    const state = states.get(repo.id);
    ctx.signal.throwIfAborted();
    const stats = await store.index.stats(repo.id, model);
    out.push({
      repo: repo.name,
      commit: state?.commit ?? null,
      headCommit: repo.headCommit,
      status: state?.status ?? 'not indexed',
      upToDate: !!state?.commit && state.status === 'ok' && state.commit === repo.headCommit,
      files: stats.files,
      chunks: stats.chunks,
      symbols: stats.symbols,
      embedded: stats.embedded,
      embeddedShare: stats.chunks > 0 ? Math.round((stats.embedded / stats.chunks) * 1000) / 1000 : 0,
      bytes: stats.bytes,
      indexedAt: state?.indexedAt ?? null,
      lastDurationMs: state?.durationMs ?? null,
      skipped: state?.skipped ?? 0,
      errors: state?.errors ?? [],
    });
  }
  const vectorSearch: VectorSearchInfo = model
    ? await store.index.vectorSearchInfo(model)
    : { mode: 'exact', graphVectors: 0, graphCurrent: false };
  return { embeddingModel: model, vectorSearch, repos: out };
}
