import type { MiddlewareHandler } from 'hono';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { sendError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const JSON_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/** The hosts a same-origin page is served from: Host, and X-Forwarded-Host from a reverse proxy. */
function servedHosts(header: (name: string) => string | undefined): string[] {
  const forwarded = (header('x-forwarded-host') ?? '').split(',')[0]?.trim() ?? '';
  return [header('host') ?? '', forwarded].filter(Boolean).map((h) => h.toLowerCase());
}

function originHost(origin: string): string | null {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return null;
  }
}

function hasBody(header: (name: string) => string | undefined): boolean {
  return Number(header('content-length') ?? 0) > 0 || header('transfer-encoding') !== undefined;
}

/**
 * State-changing requests only from the server's own pages or from non-browser clients. A page on
 * another site can send a POST without a CORS preflight only with a "simple" content type
 * (text/plain, form data) and always with its Origin, so both are refused: 403 for a foreign
 * Origin or `Sec-Fetch-Site: cross-site`, 415 for a body that is not JSON. GET, HEAD and OPTIONS
 * change nothing and pass; signed routes (the GitHub webhook) are not mounted behind this.
 */
export function requireSameOriginJson(): MiddlewareHandler {
  return async (c, next) => {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const header = (name: string) => c.req.header(name);
    const origin = header('origin');
    const crossSite = header('sec-fetch-site')?.toLowerCase() === 'cross-site';
    if (crossSite || (origin !== undefined && !servedHosts(header).includes(originHost(origin) ?? '\0'))) {
      return sendError(
        c,
        new GitloreError(ERROR_CODES.FORBIDDEN, 'Cross-site requests cannot change anything here.', {
          hint: 'Send the request from the gitlore web app or a non-browser client; behind a proxy, pass X-Forwarded-Host.',
        }),
      );
    }
    const type = header('content-type');
    if (type !== undefined ? !JSON_TYPE.test(type) : hasBody(header)) {
      return sendError(
        c,
        new GitloreError(ERROR_CODES.UNSUPPORTED_MEDIA_TYPE, 'The request body must be JSON.', {
          hint: 'Send it with `Content-Type: application/json`.',
        }),
      );
    }
    return next();
  };
}
