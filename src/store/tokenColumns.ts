import type { TokenRecord } from './tokenStore.js';

/** `SELECT <every api_tokens column AS its field> FROM api_tokens`, the same in every backend (scopes still JSON). */
export const SELECT_TOKENS = `SELECT id, name, prefix, created_at AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt",
  user_id AS "userId", scopes FROM api_tokens`;

export type TokenRow = Omit<TokenRecord, 'scopes'> & { scopes: string };

export const toTokenRecord = (row: TokenRow): TokenRecord => ({ ...row, scopes: JSON.parse(row.scopes) as string[] });
