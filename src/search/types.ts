import type { Embedder } from '../embeddings/embedder.js';
import type { SearchMode } from '../shared/searchLimits.js';
import type { Store } from '../store/index.js';
import type { RankingParams } from './rankingParams.js';

/** One result, as `gitlore search --json` prints it. */
export interface SearchHit {
  repo: string;
  path: string;
  startLine: number;
  endLine: number;
  language: string;
  symbol: string | null;
  kind: string;
  score: number;
  snippet: string;
  url: string | null;
}

export interface SearchRepo {
  id: number;
  name: string;
  /** `https://github.com/owner/name` for GitHub repos, else null. */
  htmlUrl: string | null;
  /** Commit the index reflects (for stable URLs). */
  commit: string | null;
}

export interface SearchRequest {
  query: string;
  repos: SearchRepo[];
  /** Restrict to these repos (ids); all when absent. */
  repoIds?: number[];
  language?: string;
  path?: string;
  mode: SearchMode;
  limit: number;
}

export interface SearchDeps {
  store: Store;
  /** Lazily created; null when embeddings are off. */
  embedder?: () => Promise<Embedder | null>;
  params?: RankingParams;
}
