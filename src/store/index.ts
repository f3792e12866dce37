export type { ArtifactLockOptions, ArtifactStore, StoredArtifact } from './artifactStore.js';
export type { AuditEvent, AuditQuery, AuditStore } from './auditStore.js';
export { type BlameEntry, type BlameKey, type BlameStore, blameKeyString } from './blameStore.js';
export type { ChatStore, ChatThread, ChatThreadSummary, ChatTurnRecord } from './chatStore.js';
export type {
  CommitDiffInput,
  ContributorRow,
  ContributorsQuery,
  DiffFileInput,
  DiffIndexStats,
  DiffLineRow,
  DiffSearchQuery,
  DiffSearchRow,
  DiffTerm,
  FileStatus,
  GraphRow,
  HistoryCommitInput,
  HistoryCommitRow,
  HistoryFileInput,
  HistoryFileRow,
  HistoryState,
  HistoryStore,
  PathSegment,
  PathTouches,
  RenameStep,
  TimelineQuery,
  TimelineResult,
} from './historyStore.js';
export type {
  IndexChunkInput,
  IndexedChunk,
  IndexedSymbol,
  IndexFileInput,
  IndexFilter,
  IndexRepoState,
  IndexStats,
  IndexStore,
  IndexSymbolInput,
  LexicalQuery,
  VectorIndexUpdate,
  VectorMatrix,
  VectorSearchInfo,
} from './indexStore.js';
export type { JobList, JobRecord, JobStore, NewJob, StoredJobState } from './jobStore.js';
export { grepTerms, messageTerms } from './messageTerms.js';
export {
  assertEmptyPostgresStore,
  copySqliteStoreToPostgres,
  dumpPostgresStore,
  type OpenStoreOptions,
  openStore,
  recoverStore,
  restorePostgresStore,
  type SqliteCopyReport,
  snapshotSqliteStore,
  type TableCopy,
} from './openStore.js';
export type { AccessSource, PermissionSyncState, RepoAccessStore } from './repoAccessStore.js';
export { defaultReposPath, resolveClonePath, storedClonePath } from './repoColumns.js';
export type { RepoRecord, RepoSourceType, RepoStore, RepoSyncUpdate, RepoUpsert, SyncStatus } from './repoStore.js';
export type { SessionRecord, SessionStore } from './sessionStore.js';
export type { TokenRecord, TokenStore } from './tokenStore.js';
export type { RecoverResult, Store } from './types.js';
export type { IdentityClaims, IdentityProvider, UserRecord, UserRole, UserStore } from './userStore.js';
export { type AcquireWriterOptions, describeHolder, type WriterHolder, type WriterLease, type WriterLock } from './writerLock.js';
