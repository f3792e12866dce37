import { createHash, randomBytes } from 'node:crypto';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import type { TokenRecord, TokenStore } from '../store/index.js';
import { recordAudit } from './audit.js';
import type { RequestContext } from './context.js';
import { findUser } from './users.js';

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

/** Narrower rights a token may carry: `read` (no sync, ingest or other changes), `mcp` (only /mcp). */
export const TOKEN_SCOPES = ['read', 'mcp'] as const;

/** What a token's name may be: a short label, safe to print anywhere. */
export const TOKEN_NAME_PATTERN = /^[\w.@-]{1,64}$/;

/**
 * `gitlore token create` and the account page: a token for the operator, or for a user (by id, or by email or
 * GitHub login) that then acts with that user's permissions, optionally narrowed by scopes. Recorded in the audit log (never the token).
 */
export async function issueToken(
  input: { name: string; user?: string; userId?: string; scopes?: readonly string[] },
  ctx: RequestContext,
): Promise<{ token: string; record: TokenRecord }> {
  const { store } = ctx.services;
  if (!TOKEN_NAME_PATTERN.test(input.name)) {
    throw new GitloreError(ERROR_CODES.USAGE, `Invalid token name ${JSON.stringify(input.name)}.`, {
      hint: 'Use 1-64 letters, digits, dots, dashes or underscores.',
    });
  }
  const unknown = (input.scopes ?? []).filter((s) => !(TOKEN_SCOPES as readonly string[]).includes(s));
  if (unknown.length > 0) {
    throw new GitloreError(ERROR_CODES.USAGE, `Unknown token scope ${unknown.map((s) => JSON.stringify(s)).join(', ')}.`, {
      hint: `Scopes: ${TOKEN_SCOPES.join(', ')}.`,
    });
  }
  const userId = input.userId ?? (input.user ? (await findUser(ctx.services, input.user)).id : null);
  const scopes = [...new Set(input.scopes ?? [])];
  const issued = await createApiToken(store.tokens, input.name, { userId, scopes });
  await recordAudit(ctx, { action: 'token.create', target: input.name, detail: { tokenId: issued.record.id, userId, scopes } });
  return issued;
}

/**
 * Audits a token's use as `token.used` the first time it is used on each UTC day: the log shows which tokens are alive
 * and who uses them, without a row per request. `previousUse` is the use before this one (the store answers it).
 */
export async function auditTokenUse(ctx: RequestContext, token: TokenRecord, ip: string | null, now = new Date()): Promise<void> {
  const today = now.toISOString().slice(0, 10);
  if (token.lastUsedAt?.slice(0, 10) === today) return;
  await recordAudit(ctx, {
    actor: token.userId ?? 'local',
    action: 'token.used',
    target: token.name,
    detail: { tokenId: token.id, firstUse: token.lastUsedAt === null },
    ip,
  });
}
