import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { issueToken, type TokenRecord } from './apiTokens.js';
import { recordAudit } from './audit.js';
import type { RequestContext } from './context.js';
import { isAdmin, requireAdmin } from './roles.js';

/** Whose tokens the caller means: a user's own, or (the local operator) those that belong to no user. */
function ownerOf(ctx: RequestContext): string | null {
  return ctx.principal.kind === 'user' ? ctx.principal.id : null;
}

/** The caller's tokens, newest first: names, prefixes and dates, never the secret (only its hash is stored). */
export async function listMyTokens(ctx: RequestContext): Promise<TokenRecord[]> {
  const owner = ownerOf(ctx);
  const tokens =
    owner === null
      ? (await ctx.services.store.tokens.list()).filter((t) => t.userId === null)
      : await ctx.services.store.tokens.list(owner);
  return tokens.reverse();
}

/** Every token, or one user's (admins): to see what acts on whose behalf and revoke what should not. */
export async function listAllTokens(userId: string | undefined, ctx: RequestContext): Promise<TokenRecord[]> {
  requireAdmin(ctx, "list other users' tokens");
  return (await ctx.services.store.tokens.list(userId)).reverse();
}

/** A token that acts as the caller, narrowed by scopes; the secret is in the answer only, once. */
export function createMyToken(
  input: { name: string; scopes?: readonly string[] },
  ctx: RequestContext,
): Promise<{ token: string; record: TokenRecord }> {
  return issueToken({ name: input.name, userId: ownerOf(ctx) ?? undefined, scopes: input.scopes }, ctx);
}

/** Revokes one active token: the caller's own, or anyone's for an admin. Others' tokens read as not found. */
export async function revokeToken(id: number, ctx: RequestContext): Promise<TokenRecord> {
  const token = (await ctx.services.store.tokens.list()).find((t) => t.id === id && t.revokedAt === null);
  const mine = token !== undefined && token.userId === ownerOf(ctx);
  if (!token || (!mine && !isAdmin(ctx))) {
    throw new GitloreError(ERROR_CODES.TOKEN_NOT_FOUND, `No active token ${id} of yours.`, {
      hint: 'GET /api/tokens lists your tokens and their ids.',
    });
  }
  await ctx.services.store.tokens.revokeById(id);
  await recordAudit(ctx, { action: 'token.revoke', target: token.name, detail: { tokenId: id, userId: token.userId } });
  return { ...token, revokedAt: new Date().toISOString() };
}
