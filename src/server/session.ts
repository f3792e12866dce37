import type { MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import type { App } from '../core/app.js';
import { resolveSession } from '../core/auth/sessions.js';
import { setPrincipal } from './principal.js';

/** The browser session's cookie: an opaque random secret (HttpOnly, SameSite=Lax; Secure over TLS). */
export const SESSION_COOKIE = 'gitlore_session';

/**
 * Reads the session cookie, when there is one, and makes its user the request's principal. A missing,
 * expired or unknown session leaves the request anonymous; the routes behind auth then refuse it.
 */
export function attachSession(app: App): MiddlewareHandler {
  return async (c, next) => {
    const secret = getCookie(c, SESSION_COOKIE);
    if (secret) {
      const user = await resolveSession(app.store.sessions, secret, app.config);
      if (user) setPrincipal(c, { kind: 'user', id: user.id, role: user.role });
    }
    await next();
  };
}
