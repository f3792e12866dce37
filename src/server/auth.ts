import { timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import type { MiddlewareHandler } from 'hono';
import { hashToken, type TokenStore } from '../core/apiTokens.js';
import { ERROR_CODES, GitloreError } from '../shared/errors.js';
import { sendError } from './errors.js';

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

/** Refuses requests without an active API token. */
export function requireToken(tokens: TokenStore): MiddlewareHandler {
  return async (c, next) => {
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
    await next();
  };
}
