import type { ResolvedConfig, SourceConfig } from '../config/index.js';
import type { Logger } from '../shared/logger.js';
import type { RepoRecord, Store } from '../store/index.js';

/**
 * What every use case needs, built once by main.ts and passed down.
 * No module below this reads process.env or opens its own store.
 */
export interface App {
  readonly config: ResolvedConfig;
  readonly store: Store;
  readonly log: Logger;
  /** Which token each repository's remote takes; one per process (sync's createRepoCredentials), so ingest tokens outlive their sync run. */
  readonly credentials?: {
    forRepo(repo: Pick<RepoRecord, 'sourceType' | 'sourceKey' | 'cloneUrl'>): { token: string; url: string } | null;
    remember(sources: readonly SourceConfig[]): void;
  };
}
