import type { ArtifactStore } from './artifactStore.js';
import type { AuditStore } from './auditStore.js';
import type { BlameStore } from './blameStore.js';
import type { ChatStore } from './chatStore.js';
import type { HistoryStore } from './historyStore.js';
import type { IndexStore } from './indexStore.js';
import type { JobStore } from './jobStore.js';
import type { RepoAccessStore } from './repoAccessStore.js';
import type { RepoStore } from './repoStore.js';
import type { SessionStore } from './sessionStore.js';
import type { TokenStore } from './tokenStore.js';
import type { UserStore } from './userStore.js';
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
  /** Cached `git blame` answers for line ranges. */
  readonly blame: BlameStore;
  readonly tokens: TokenStore;
  /** Ask conversations (threads of questions and answers). */
  readonly chats: ChatStore;
  /** People who sign in (GITLORE_AUTH), their identities and roles. */
  readonly users: UserStore;
  /** Browser sessions (hashed cookie secrets). */
  readonly sessions: SessionStore;
  /** Append-only log of sign-ins, token and admin actions. */
  readonly audit: AuditStore;
  /** Which private repositories each user may read, mirrored from GitHub. */
  readonly access: RepoAccessStore;
  /** One writer at a time across processes (index, sync, ingest); per repository on PostgreSQL. */
  readonly writer: WriterLock;
  /** Named binary artifacts every process shares (the learned embedding model), with a lock for learning them. */
  readonly artifacts: ArtifactStore;
  /** The job queue `gitlore worker` processes take work from; PostgreSQL only (an embedded `serve` runs its own). */
  readonly jobs: JobStore | null;
  /**
   * Bytes the database takes: the SQLite file with its write-ahead log, or `pg_database_size` on PostgreSQL.
   * One cheap round trip, so the readiness probe also uses it to check that the database answers.
   */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

/**
 * What `recoverStore` did: a damaged store is set aside (kept, under a timestamped name) and a fresh one
 * keeps every row it could read of the tables that cannot be rebuilt from git (repositories, API tokens and
 * whatever else exists); the code index and history are left for the rebuild.
 */
export interface RecoverResult {
  /** True when the file was damaged and has been set aside. */
  recovered: boolean;
  movedTo?: string;
  problem?: string;
  /** Rows copied into the new database, per table. */
  kept: Record<string, number>;
  /** Rows that could not be read or written back, per table; null when the table could not even be counted. */
  lost: Record<string, number | null>;
  /** Tables left empty for `gitlore index --full` to rebuild from the clones (the code index, history). */
  rebuilt: string[];
  /** The file held nothing to read: empty (0 bytes), not a database, or its schema is unreadable. */
  nothingReadable: boolean;
}
