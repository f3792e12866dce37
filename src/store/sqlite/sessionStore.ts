import type { SessionRecord, SessionStore } from '../sessionStore.js';
import { SESSION_COLUMNS, USER_COLUMNS } from '../userColumns.js';
import type { UserRecord } from '../userStore.js';
import type { Db } from './database.js';

export function createSqliteSessionStore(db: Db): SessionStore {
  const insert = db.prepare(
    'INSERT INTO sessions (id_hash, user_id, created_at, last_seen_at, expires_at, user_agent) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const byHash = db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions s WHERE s.id_hash = ?`);
  const userOf = db.prepare(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = ? AND u.disabled_at IS NULL`);
  const touch = db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?');
  const remove = db.prepare('DELETE FROM sessions WHERE id_hash = ?');
  const removeForUser = db.prepare('DELETE FROM sessions WHERE user_id = ?');
  const removeExpired = db.prepare('DELETE FROM sessions WHERE expires_at <= ? OR last_seen_at < ?');

  return {
    async create(session) {
      const now = new Date().toISOString();
      insert.run(session.idHash, session.userId, now, now, session.expiresAt, session.userAgent ?? null);
      return byHash.get(session.idHash) as SessionRecord;
    },
    async find(idHash) {
      const session = byHash.get(idHash) as SessionRecord | undefined;
      if (!session) return null;
      const user = userOf.get(session.userId) as UserRecord | undefined;
      return user ? { session, user } : null;
    },
    async touch(idHash, at) {
      touch.run(at, idHash);
    },
    async delete(idHash) {
      return remove.run(idHash).changes > 0;
    },
    async deleteForUser(userId) {
      return removeForUser.run(userId).changes;
    },
    async deleteExpired(now, idleBefore) {
      return removeExpired.run(now, idleBefore).changes;
    },
  };
}
