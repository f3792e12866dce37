export type RepoSourceType = 'github' | 'git' | 'local';
export type SyncStatus = 'pending' | 'syncing' | 'ok' | 'skipped' | 'failed' | 'gone';

/** A registered repository and the state of its clone. */
export interface RepoRecord {
  id: number;
  /** Unique name shown by `gitlore repo list`; used by every other command. */
  name: string;
  sourceType: RepoSourceType;
  /** Which configured source produced it: `github:org/acme`, `git`, `local:/srv/*`, or `manual`. */
  sourceKey: string;
  /** `owner/name` on GitHub, otherwise the name. */
  fullName: string;
  cloneUrl: string;
  htmlUrl: string | null;
  defaultBranch: string | null;
  description: string | null;
  language: string | null;
  isPrivate: boolean;
  isFork: boolean;
  isArchived: boolean;
  /** Upstream's last push time as reported by the API (ISO), used to skip unchanged repos. */
  pushedAt: string | null;
  /** Clone folder on disk (absolute). */
  localPath: string;
  headCommit: string | null;
  lastSyncAt: string | null;
  lastSyncDurationMs: number | null;
  syncStatus: SyncStatus;
  syncError: string | null;
  /** pushedAt value the last successful sync saw. */
  syncedPushedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export type RepoUpsert = Pick<RepoRecord, 'name' | 'sourceType' | 'sourceKey' | 'fullName' | 'cloneUrl' | 'localPath'> &
  Partial<Pick<RepoRecord, 'htmlUrl' | 'defaultBranch' | 'description' | 'language' | 'isPrivate' | 'isFork' | 'isArchived' | 'pushedAt'>>;

export type RepoSyncUpdate = Partial<
  Pick<
    RepoRecord,
    'headCommit' | 'lastSyncAt' | 'lastSyncDurationMs' | 'syncStatus' | 'syncError' | 'syncedPushedAt' | 'defaultBranch' | 'pushedAt'
  >
>;

export interface RepoStore {
  list(): Promise<RepoRecord[]>;
  get(name: string): Promise<RepoRecord | null>;
  getById(id: number): Promise<RepoRecord | null>;
  /** Inserts or updates by name; never touches sync state. */
  upsert(repo: RepoUpsert): Promise<RepoRecord>;
  updateSync(id: number, update: RepoSyncUpdate): Promise<void>;
  /** Deletes the repo and everything stored for it (index, history). */
  remove(id: number): Promise<void>;
}
