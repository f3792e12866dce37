import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { App } from '../core/app.js';
import { resolveSession } from '../core/auth/sessions.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { sendError } from './errors.js';
import { setPrincipal } from './principal.js';

/** The browser session's cookie: an opaque random secret (HttpOnly, SameSite=Lax; Secure over TLS). */
export const SESSION_COOKIE = 'gitlore_session';
/** The CSRF cookie pages' scripts read and send back in CSRF_HEADER (double submit, bound to the session by an HMAC). */
export const CSRF_COOKIE = 'gitlore_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Reads the session cookie, when there is one, and makes its user the request's principal. A missing,
 * expired or unknown session leaves the request anonymous; the routes behind auth then refuse it.
 */
export function attachSession(app: App): MiddlewareHandler {
  return async (c, next) => {
    const secret = getCookie(c, SESSION_COOKIE);
    if (secret) {
      const user = await resolveSession(app.store.sessions, secret, app.config);
      if (user) {
        setPrincipal(c, { kind: 'user', id: user.id, role: user.role });
        c.set('gitlore.sessionSecret' as never, secret as never);
      }
    }
    await next();
  };
}

/** The session secret of a request signed in by cookie (attachSession found it), else undefined. */
export function sessionSecretOf(c: Context): string | undefined {
  return c.get('gitlore.sessionSecret' as never) as string | undefined;
}

/** The CSRF token of a session: an HMAC of its secret under a key derived from SECRET_KEY; it reveals nothing of the session. */
export function csrfToken(secretKey: string, sessionSecret: string): string {
  const key = Buffer.from(hkdfSync('sha256', secretKey, 'gitlore', 'csrf', 32));
  return createHmac('sha256', key).update(sessionSecret).digest('base64url');
}

/** Whether the browser reached us over TLS, directly or through a proxy that says so (X-Forwarded-Proto), or GITLORE_PUBLIC_URL is https. */
export function isSecureRequest(c: Context, publicUrl: string | undefined): boolean {
  if (publicUrl?.startsWith('https:')) return true;
  if (new URL(c.req.url).protocol === 'https:') return true;
  return (c.req.header('x-forwarded-proto') ?? '').split(',')[0]?.trim().toLowerCase() === 'https';
}

/** Sets the session cookie (HttpOnly) and its CSRF cookie (readable by the page's scripts), both SameSite=Lax, Secure over TLS. */
export function setSessionCookies(
  c: Context,
  session: { secret: string; expiresAt: string },
  options: { secretKey: string; publicUrl?: string },
): void {
  const secure = isSecureRequest(c, options.publicUrl);
  const expires = new Date(session.expiresAt);
  setCookie(c, SESSION_COOKIE, session.secret, { httpOnly: true, sameSite: 'Lax', secure, path: '/', expires });
  setCookie(c, CSRF_COOKIE, csrfToken(options.secretKey, session.secret), { httpOnly: false, sameSite: 'Lax', secure, path: '/', expires });
}

/** Removes both cookies (sign-out, or a session that ended). */
export function clearSessionCookies(c: Context): void {
  deleteCookie(c, SESSION_COOKIE, { path: '/' });
  deleteCookie(c, CSRF_COOKIE, { path: '/' });
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The form field a plain HTML form (no script to set CSRF_HEADER) carries the token in. */
export const CSRF_FIELD = 'csrf';
/** Pages whose POST is a plain HTML form: POST /search (a pasted text too long for a URL; it works without scripts). */
const FORM_POSTS = new Set(['/search']);

/** The CSRF token a page's plain form carries, when the request has a session; undefined otherwise. */
export function formCsrfToken(c: Context, secretKey: string | undefined): string | undefined {
  const session = sessionSecretOf(c);
  return session && secretKey ? csrfToken(secretKey, session) : undefined;
}

/** The token a request sent: CSRF_HEADER, or on FORM_POSTS the CSRF_FIELD of its form (Hono keeps the parsed form for the route). */
async function sentToken(c: Context): Promise<string> {
  const header = c.req.header(CSRF_HEADER);
  if (header !== undefined || !FORM_POSTS.has(c.req.path)) return header ?? '';
  const field = (await c.req.parseBody())[CSRF_FIELD];
  return typeof field === 'string' ? field : '';
}

/**
 * CSRF protection for requests a browser makes with its session cookie: a state-changing method must carry the
 * session's CSRF token in `X-CSRF-Token` (the page's scripts copy it from the gitlore_csrf cookie, which another
 * site cannot read), or a plain form on FORM_POSTS in its CSRF_FIELD (the page renders it). Requests with an API
 * token carry no ambient credential and skip the check; the same-origin and JSON-only checks (sameOrigin.ts) stay in
 * front of /api, /mcp and /auth as a second layer.
 */
export function requireCsrf(secretKey: () => string | undefined): MiddlewareHandler {
  return async (c, next) => {
    const session = sessionSecretOf(c);
    if (SAFE_METHODS.has(c.req.method) || !session || c.req.header('authorization')) return next();
    const key = secretKey();
    const sent = await sentToken(c);
    const expected = key ? csrfToken(key, session) : '';
    const ok = expected !== '' && sent.length === expected.length && timingSafeEqual(Buffer.from(sent), Buffer.from(expected));
    if (!ok) {
      return sendError(
        c,
        new GitloreError(ERROR_CODES.FORBIDDEN, 'The request is missing its CSRF token.', {
          hint: 'Reload the page and try again; scripts send the gitlore_csrf cookie back in the X-CSRF-Token header.',
        }),
      );
    }
    return next();
  };
}
