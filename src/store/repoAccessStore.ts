/**
 * Which private repositories each user may read, as GitHub says: `user` (the user's own token lists
 * their repositories) and `repo` (the org token lists each private repository's collaborators).
 * A repository is readable when either source grants it.
 */
export type AccessSource = 'user' | 'repo';

export interface PermissionSyncState {
  userId: string;
  /** `ok`, `failed` (5xx or rate limit: the last known access stays), `revoked` (401/403/410: access removed at once). */
  status: 'ok' | 'failed' | 'revoked';
  lastSyncedAt: string | null;
  lastError: string | null;
  /** Repositories readable after the sync. */
  repoCount: number;
}

export interface RepoAccessStore {
  /** Replaces what one source grants the user, in one transaction. */
  replaceForUser(userId: string, source: AccessSource, repoIds: readonly number[]): Promise<void>;
  /** Replaces which users the repository grants through the `repo` source (its collaborators), in one transaction. */
  replaceForRepo(repoId: number, userIds: readonly string[]): Promise<void>;
  /** Every repository id either source grants the user. */
  readableRepoIds(userId: string): Promise<Set<number>>;
  /** Removes everything the user was granted (GitHub revoked the token). */
  revokeUser(userId: string): Promise<void>;
  syncState(userId: string): Promise<PermissionSyncState | null>;
  setSyncState(state: PermissionSyncState): Promise<void>;
}
