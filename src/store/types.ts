import type { HistoryStore } from './historyStore.js';
import type { IndexStore } from './indexStore.js';
import type { RepoStore } from './repoStore.js';
import type { TokenStore } from './tokenStore.js';
import type { WriterLock } from './writerLock.js';

/**
 * Everything gitlore persists, behind one interface per domain.
 * The embedded default is SQLite (store/sqlite); a PostgreSQL implementation
 * satisfies the same interface when DATABASE_URL is set.
 */
export interface Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly repos: RepoStore;
  readonly index: IndexStore;
  readonly history: HistoryStore;
  readonly tokens: TokenStore;
  /** One writer at a time across processes (index, sync, ingest). */
  readonly writer: WriterLock;
  close(): Promise<void>;
}

/** What `recoverStore` did: a damaged store is moved aside and a fresh one keeps the repositories it could read. */
export interface RecoverResult {
  /** True when the file was corrupt and has been moved aside. */
  recovered: boolean;
  movedTo?: string;
  /** Registered repositories copied into the new database. */
  salvagedRepos: number;
  problem?: string;
}
