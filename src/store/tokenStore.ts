/** An API token as stored: only its hash, never the token itself. */
export interface TokenRecord {
  id: number;
  /** Human label given at creation (`gitlore token create --name ci`). */
  name: string;
  /** First characters of the token (`glt_ab12`), shown by `token list` so users can tell tokens apart. */
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
  /** The user it acts for (with that user's permissions); null for an operator token made before login existed. */
  userId: string | null;
  /** Narrower than the user's own rights when not empty, e.g. `["read"]`, `["mcp"]`. */
  scopes: string[];
}

/** API tokens, stored hashed (sha256 of a 256-bit random secret). Owned by src/server auth. */
export interface TokenStore {
  create(token: { name: string; prefix: string; hash: string; userId?: string | null; scopes?: readonly string[] }): Promise<TokenRecord>;
  /** Every token, or one user's. */
  list(userId?: string): Promise<TokenRecord[]>;
  /** The active (not revoked) token with this hash, or null; records this use, and answers `lastUsedAt` as the use before it. */
  findActiveByHash(hash: string): Promise<TokenRecord | null>;
  /** Revokes one token by its id; false when there is no such active token. */
  revokeById(id: number): Promise<boolean>;
  /** Revokes by id or name; returns how many tokens were revoked. */
  revoke(idOrName: string): Promise<number>;
  /** How many tokens are active; auth is enforced when any exist or HOST is not loopback. */
  countActive(): Promise<number>;
}
