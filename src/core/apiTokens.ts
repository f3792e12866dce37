import { createHash, randomBytes } from 'node:crypto';
import type { TokenRecord, TokenStore } from '../store/index.js';

export type { TokenRecord, TokenStore };

export const TOKEN_PREFIX = 'glt_';

/** A new API token: 256 random bits, shown once; only its sha256 is stored. */
export function generateToken(): { token: string; prefix: string; hash: string } {
  const token = `${TOKEN_PREFIX}${randomBytes(32).toString('hex')}`;
  return { token, prefix: token.slice(0, 12), hash: hashToken(token) };
}

/**
 * sha256 is enough here: tokens are 256-bit random values, so there is nothing
 * to brute-force and no need for a slow password hash on every request.
 */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createApiToken(
  tokens: TokenStore,
  name: string,
  owner: { userId?: string | null; scopes?: readonly string[] } = {},
): Promise<{ token: string; record: TokenRecord }> {
  const generated = generateToken();
  const record = await tokens.create({ name, prefix: generated.prefix, hash: generated.hash, ...owner });
  return { token: generated.token, record };
}
