import type { SessionRecord, SessionStore } from '../sessionStore.js';
import { SESSION_COLUMNS, USER_COLUMNS } from '../userColumns.js';
import type { UserRecord } from '../userStore.js';
import type { PgDb } from './database.js';
import { changedRows } from './rowCount.js';

const BY_HASH = `SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id_hash = $1`;

export function createPgSessionStore(db: PgDb): SessionStore {
  return {
    async create(session) {
      const now = new Date().toISOString();
      await db.rows(
        'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5, $6)',
        [session.idHash, session.userId, now, now, session.expiresAt, session.userAgent ?? null],
      );
      return (await db.row<SessionRecord>(BY_HASH, [session.idHash])) as SessionRecord;
    },
    async find(idHash) {
      const session = await db.row<SessionRecord>(BY_HASH, [idHash]);
      if (!session) return null;
      const user = await db.row<UserRecord>(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1 AND u.disabled_at IS NULL`, [
        session.userId,
      ]);
      return user ? { session, user } : null;
    },
    async touch(idHash, at) {
      await db.rows('UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2', [at, idHash]);
    },
    async delete(idHash) {
      return (await changedRows(db.pool, 'DELETE FROM sessions WHERE id_hash = $1', [idHash])) > 0;
    },
    async deleteForUser(userId) {
      return changedRows(db.pool, 'DELETE FROM sessions WHERE user_id = $1', [userId]);
    },
    async deleteExpired(now, idleBefore) {
      // Times are ISO strings, compared byte by byte as SQLite does.
      const sql = 'DELETE FROM sessions WHERE expires_at <= $1 COLLATE "C" OR last_seen_at < $2 COLLATE "C"';
      return changedRows(db.pool, sql, [now, idleBefore]);
    },
  };
}
