import type { AccessSource, PermissionSyncState, RepoAccessStore } from '../repoAccessStore.js';
import type { Db } from './database.js';

export function createSqliteRepoAccessStore(db: Db): RepoAccessStore {
  const clearUser = db.prepare('DELETE FROM repo_access WHERE user_id = ? AND source = ?');
  const clearRepo = db.prepare("DELETE FROM repo_access WHERE repo_id = ? AND source = 'repo'");
  const grant = db.prepare('INSERT OR IGNORE INTO repo_access (user_id, repo_id, source, granted_at) VALUES (?, ?, ?, ?)');
  const readable = db.prepare('SELECT DISTINCT repo_id FROM repo_access WHERE user_id = ?').pluck();
  const revoke = db.prepare('DELETE FROM repo_access WHERE user_id = ?');
  const state = db.prepare(
    'SELECT user_id AS userId, status, last_synced_at AS lastSyncedAt, last_error AS lastError, repo_count AS repoCount FROM permission_syncs WHERE user_id = ?',
  );
  const saveState =
    db.prepare(`INSERT INTO permission_syncs (user_id, status, last_synced_at, last_error, repo_count) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (user_id) DO UPDATE SET status = excluded.status, last_synced_at = excluded.last_synced_at,
      last_error = excluded.last_error, repo_count = excluded.repo_count`);

  const replaceForUser = db.transaction((userId: string, source: AccessSource, repoIds: readonly number[]) => {
    const now = new Date().toISOString();
    clearUser.run(userId, source);
    for (const repoId of repoIds) grant.run(userId, repoId, source, now);
  });
  const replaceForRepo = db.transaction((repoId: number, userIds: readonly string[]) => {
    const now = new Date().toISOString();
    clearRepo.run(repoId);
    for (const userId of userIds) grant.run(userId, repoId, 'repo', now);
  });

  return {
    async replaceForUser(userId, source, repoIds) {
      replaceForUser(userId, source, repoIds);
    },
    async replaceForRepo(repoId, userIds) {
      replaceForRepo(repoId, userIds);
    },
    async readableRepoIds(userId) {
      return new Set(readable.all(userId) as number[]);
    },
    async revokeUser(userId) {
      revoke.run(userId);
    },
    async syncState(userId) {
      return (state.get(userId) as PermissionSyncState | undefined) ?? null;
    },
    async setSyncState(s) {
      saveState.run(s.userId, s.status, s.lastSyncedAt, s.lastError, s.repoCount);
    },
  };
}
