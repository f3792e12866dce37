import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { hashToken } from '../core/apiTokens.js';
import type { App } from '../core/app.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { sendError } from './errors.js';
import { principalOf, setPrincipal } from './principal.js';

/** True for 127.0.0.0/8, ::1 and localhost: the only hosts served without tokens. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  if (h.startsWith('::ffff:')) return h.slice(7).startsWith('127.');
  return false;
}

/** Reads `Authorization: Bearer <token>` (or `token <token>`); `?access_token=` is not accepted, to keep tokens out of logs. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  const match = /^(?:bearer|token)\s+(\S+)\s*$/i.exec(header);
  return match ? (match[1] as string) : null;
}

export function safeEqualHex(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Refuses requests without an active API token or a signed-in session. A token of a user acts as that user (its principal goes to
 * the repo gate); its scopes narrow it: `mcp` reaches only /mcp, `read` changes nothing (no sync, no ingest).
 */
export function requireToken(store: Pick<App['store'], 'tokens' | 'users'>): MiddlewareHandler {
  const { tokens, users } = store;
  return async (c, next) => {
    // A signed-in browser (its session cookie, read by attachSession) needs no token.
    if (principalOf(c) && !c.req.header('authorization')) return next();
    const token = bearerToken(c.req.header('authorization'));
    if (!token) {
      return sendError(
        c,
        new GitloreError(ERROR_CODES.UNAUTHORIZED, 'An API token is required.', {
          hint: 'Send `Authorization: Bearer <token>`; create one with `gitlore token create`.',
        }),
      );
    }
    const record = await tokens.findActiveByHash(hashToken(token));
    if (!record) {
      return sendError(
        c,
        new GitloreError(ERROR_CODES.UNAUTHORIZED, 'The API token is invalid or revoked.', {
          hint: 'Create a new one with `gitlore token create`.',
        }),
      );
    }
    c.set('tokenName' as never, record.name as never);
    if (record.userId) {
      const user = await users.get(record.userId);
      if (!user || user.disabledAt) {
        return sendError(
          c,
          new GitloreError(ERROR_CODES.UNAUTHORIZED, 'The API token belongs to a user who can no longer sign in.', {
            hint: 'Ask an admin to re-enable the user, or use another token.',
          }),
        );
      }
      setPrincipal(c, { kind: 'user', id: user.id, role: user.role });
    }
    const refused = scopeRefusal(record.scopes, c.req.method, new URL(c.req.url).pathname);
    if (refused) return sendError(c, new GitloreError(ERROR_CODES.FORBIDDEN, refused, { hint: 'Use a token without that scope.' }));
    await next();
  };
}

/** Routes that change what is synced: refused to `read` tokens. */
const CHANGING_ROUTES = ['/api/sync', '/api/ingest'];

/** Why a token's scopes refuse this request, or null when they allow it (no scopes: the user's own rights). */
export function scopeRefusal(scopes: readonly string[], method: string, path: string): string | null {
  if (scopes.includes('mcp') && path !== '/mcp') return `This token may reach only /mcp (scope mcp), not ${path}.`;
  if (scopes.includes('read') && method !== 'GET' && method !== 'HEAD' && CHANGING_ROUTES.includes(path)) {
    return `This token is read-only (scope read): ${method} ${path} changes what is synced.`;
  }
  return null;
}
