import { SELECT_TOKENS as SELECT, type TokenRow, toTokenRecord as toRecord } from '../tokenColumns.js';
import type { TokenStore } from '../tokenStore.js';
import type { PgDb } from './database.js';
import { changedRows } from './rowCount.js';

export function createPgTokenStore(db: PgDb): TokenStore {
  return {
    async create(token) {
      const row = await db.row<{ id: number }>(
        'INSERT INTO api_tokens (name, prefix, hash, created_at, user_id, scopes) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id',
        [token.name, token.prefix, token.hash, new Date().toISOString(), token.userId ?? null, JSON.stringify(token.scopes ?? [])],
      );
      return toRecord((await db.row<TokenRow>(`${SELECT} WHERE id = $1`, [row?.id])) as TokenRow);
    },
    async list(userId) {
      const rows =
        userId === undefined
          ? await db.rows<TokenRow>(`${SELECT} ORDER BY id`)
          : await db.rows<TokenRow>(`${SELECT} WHERE user_id = $1 ORDER BY id`, [userId]);
      return rows.map(toRecord);
    },
    async findActiveByHash(hash) {
      // One round trip on every authenticated request: the row as it was (its previous use), and the use recorded.
      const row = await db.row<TokenRow>(
        `WITH found AS (${SELECT} WHERE hash = $1 AND revoked_at IS NULL),
              touched AS (UPDATE api_tokens SET last_used_at = $2 WHERE id IN (SELECT id FROM found))
         SELECT * FROM found`,
        [hash, new Date().toISOString()],
      );
      return row ? toRecord(row) : null;
    },
    async revokeById(id) {
      const sql = 'UPDATE api_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND id = $2';
      return (await changedRows(db.pool, sql, [new Date().toISOString(), id])) > 0;
    },
    async revoke(idOrName) {
      const sql = 'UPDATE api_tokens SET revoked_at = $1 WHERE revoked_at IS NULL AND (id::text = $2 OR name = $2)';
      return changedRows(db.pool, sql, [new Date().toISOString(), idOrName]);
    },
    async countActive() {
      return (await db.row<{ n: number }>('SELECT count(*) AS n FROM api_tokens WHERE revoked_at IS NULL'))?.n ?? 0;
    },
  };
}
