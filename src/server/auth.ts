import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { Context, MiddlewareHandler } from 'hono';
import { hashToken, type TokenRecord } from '../core/apiTokens.js';
import type { App } from '../core/app.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { sendError } from './errors.js';
import { principalOf, setPrincipal } from './principal.js';
import { isApiPath, isPublicPath } from './publicRoutes.js';

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

/** What the gate needs: the stores that say who a token or session is, and how to refuse a page. */
export interface AuthGateOptions {
  store: Pick<App['store'], 'tokens' | 'users'>;
  /** Each accepted token (the audit log records its first use of the day). */
  onTokenUsed?(c: Context, token: TokenRecord): Promise<void>;
  /** Whether browser sign-in exists (GITLORE_AUTH oidc or github): a page then redirects to /login. */
  signIn: boolean;
  /** Answers a page request that has no session (the HTML refusal). */
  refusePage(c: Context, error: GitloreError): Response | Promise<Response>;
}

/**
 * The one door when auth is on: every route but the public ones (server/publicRoutes.ts) needs a signed-in session
 * (read by attachSession) or an active API token. A token of a user acts as that user (its principal goes to the repo
 * gate); its scopes narrow it: `mcp` reaches only /mcp, `read` changes nothing (no sync, no ingest). A page without a
 * session redirects to /login when sign-in exists.
 */
export function requireSignedIn(options: AuthGateOptions): MiddlewareHandler {
  const { tokens, users } = options.store;
  const refuse = (c: Context, error: GitloreError) => {
    const url = new URL(c.req.url);
    if (isApiPath(url.pathname)) return sendError(c, error);
    if (options.signIn && (c.req.method === 'GET' || c.req.method === 'HEAD')) {
      return c.redirect(`/login?next=${encodeURIComponent(`${url.pathname}${url.search}`)}`);
    }
    if (!options.signIn) {
      return options.refusePage(
        c,
        new GitloreError(ERROR_CODES.UNAUTHORIZED, 'Sign in to use gitlore here.', {
          hint: 'This server has no browser sign-in (set GITLORE_AUTH to oidc or github): open gitlore on 127.0.0.1, or use the API with a token.',
        }),
      );
    }
    return options.refusePage(c, error);
  };
  return async (c, next) => {
    if (isPublicPath(new URL(c.req.url).pathname)) return next();
    const header = c.req.header('authorization');
    // A signed-in browser (its session cookie, read by attachSession) needs no token.
    if (principalOf(c) && !header) return next();
    const token = bearerToken(header);
    if (!token) {
      return refuse(
        c,
        new GitloreError(ERROR_CODES.UNAUTHORIZED, options.signIn ? 'Sign in or send an API token.' : 'An API token is required.', {
          hint: options.signIn
            ? 'Open /login in a browser; scripts send `Authorization: Bearer <token>` (create one on your account page).'
            : 'Send `Authorization: Bearer <token>`; create one with `gitlore token create`.',
        }),
      );
    }
    const record = await tokens.findActiveByHash(hashToken(token));
    if (!record) {
      return refuse(
        c,
        new GitloreError(ERROR_CODES.UNAUTHORIZED, 'The API token is invalid or revoked.', {
          hint: 'Create a new one with `gitlore token create`.',
        }),
      );
    }
    c.set('tokenName' as never, record.name as never);
    await options.onTokenUsed?.(c, record);
    if (record.userId) {
      const user = await users.get(record.userId);
      if (!user || user.disabledAt) {
        return refuse(
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

/** Routes that change what is synced, or who may do what (tokens, users): refused to `read` tokens, with their subpaths. */
const CHANGING_ROUTES = ['/api/sync', '/api/ingest', '/api/tokens', '/api/users'];

/** Why a token's scopes refuse this request, or null when they allow it (no scopes: the user's own rights). */
export function scopeRefusal(scopes: readonly string[], method: string, path: string): string | null {
  if (scopes.includes('mcp') && path !== '/mcp') return `This token may reach only /mcp (scope mcp), not ${path}.`;
  if (
    scopes.includes('read') &&
    method !== 'GET' &&
    method !== 'HEAD' &&
    CHANGING_ROUTES.some((r) => path === r || path.startsWith(`${r}/`))
  ) {
    return `This token is read-only (scope read): ${method} ${path} changes something.`;
  }
  return null;
}
