import { SELECT_TOKENS as SELECT, type TokenRow, toTokenRecord as toRecord } from '../tokenColumns.js';
import type { TokenStore } from '../tokenStore.js';
import type { Db } from './database.js';

export function createSqliteTokenStore(db: Db): TokenStore {
  const insert = db.prepare('INSERT INTO api_tokens (name, prefix, hash, created_at, user_id, scopes) VALUES (?, ?, ?, ?, ?, ?)');
  const byId = db.prepare(`${SELECT} WHERE id = ?`);
  const byHash = db.prepare(`${SELECT} WHERE hash = ? AND revoked_at IS NULL`);
  const touch = db.prepare('UPDATE api_tokens SET last_used_at = ? WHERE id = ?');
  const all = db.prepare(`${SELECT} ORDER BY id`);
  const ofUser = db.prepare(`${SELECT} WHERE user_id = ? ORDER BY id`);
  const active = db.prepare('SELECT count(*) FROM api_tokens WHERE revoked_at IS NULL').pluck();
  const revokeOne = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND id = ?');
  const revoke = db.prepare('UPDATE api_tokens SET revoked_at = ? WHERE revoked_at IS NULL AND (CAST(id AS TEXT) = ? OR name = ?)');

  return {
    async create(token) {
      const scopes = JSON.stringify(token.scopes ?? []);
      const info = insert.run(token.name, token.prefix, token.hash, new Date().toISOString(), token.userId ?? null, scopes);
      return toRecord(byId.get(info.lastInsertRowid) as TokenRow);
    },
    async list(userId) {
      return ((userId === undefined ? all.all() : ofUser.all(userId)) as TokenRow[]).map(toRecord);
    },
    async findActiveByHash(hash) {
      const row = byHash.get(hash) as TokenRow | undefined;
      if (!row) return null;
      touch.run(new Date().toISOString(), row.id);
      return toRecord(row);
    },
    async revokeById(id) {
      return revokeOne.run(new Date().toISOString(), id).changes > 0;
    },
    async revoke(idOrName) {
      return revoke.run(new Date().toISOString(), idOrName, idOrName).changes;
    },
    async countActive() {
      return active.get() as number;
    },
  };
}
