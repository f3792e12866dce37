import type { PermissionSyncState, RepoAccessStore } from '../repoAccessStore.js';
import type { PgDb } from './database.js';

export function createPgRepoAccessStore(db: PgDb): RepoAccessStore {
  return {
    async replaceForUser(userId, source, repoIds) {
      await db.tx(async (client) => {
        await client.query('DELETE FROM repo_access WHERE user_id = $1 AND source = $2', [userId, source]);
        await client.query(
          `INSERT INTO repo_access (user_id, repo_id, source, granted_at) SELECT $1, unnest($2::integer[]), $3, $4
           ON CONFLICT DO NOTHING`,
          [userId, [...repoIds], source, new Date().toISOString()],
        );
      });
    },
    async replaceForRepo(repoId, userIds) {
      await db.tx(async (client) => {
        await client.query(`DELETE FROM repo_access WHERE repo_id = $1 AND source = 'repo'`, [repoId]);
        await client.query(
          `INSERT INTO repo_access (user_id, repo_id, source, granted_at) SELECT unnest($1::text[]), $2, 'repo', $3
           ON CONFLICT DO NOTHING`,
          [[...userIds], repoId, new Date().toISOString()],
        );
      });
    },
    async readableRepoIds(userId) {
      const rows = await db.rows<{ repo_id: number }>('SELECT DISTINCT repo_id FROM repo_access WHERE user_id = $1', [userId]);
      return new Set(rows.map((r) => r.repo_id));
    },
    async revokeUser(userId) {
      await db.rows('DELETE FROM repo_access WHERE user_id = $1', [userId]);
    },
    async syncState(userId) {
      return db.row<PermissionSyncState>(
        `SELECT user_id AS "userId", status, last_synced_at AS "lastSyncedAt", last_error AS "lastError", repo_count AS "repoCount"
         FROM permission_syncs WHERE user_id = $1`,
        [userId],
      );
    },
    async setSyncState(s) {
      await db.rows(
        `INSERT INTO permission_syncs (user_id, status, last_synced_at, last_error, repo_count) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (user_id) DO UPDATE SET status = excluded.status, last_synced_at = excluded.last_synced_at,
           last_error = excluded.last_error, repo_count = excluded.repo_count`,
        [s.userId, s.status, s.lastSyncedAt, s.lastError, s.repoCount],
      );
    },
  };
}
