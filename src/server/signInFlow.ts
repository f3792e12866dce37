import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { FlowChecks } from '../core/auth/identity.js';
import { open, seal } from '../core/auth/secretBox.js';
import { isSecureRequest } from './session.js';

/**
 * The sign-in in progress, kept by the browser between /auth/login and /auth/callback: state, PKCE verifier, nonce and
 * where to go next, sealed under a key of its own (purpose `sign-in-flow`), HttpOnly, on /auth only, for 10 minutes.
 */
export const FLOW_COOKIE = 'gitlore_signin';
const FLOW_PURPOSE = 'sign-in-flow';
export const FLOW_TTL_S = 600;

export interface SignInFlow {
  /** `sign-in` starts a session; `link` adds a GitHub account to the signed-in user `userId`. */
  kind: 'sign-in' | 'link';
  checks: FlowChecks;
  next: string;
  userId?: string;
}

interface SealedFlow extends SignInFlow {
  /** Expiry, ms since the epoch: the seal, not only the cookie's Max-Age, ends it. */
  exp: number;
}

/** The redirect URI registered at the provider: GITLORE_PUBLIC_URL (behind a proxy) or the origin the request came to. */
export function callbackUrl(c: Context, publicUrl: string | undefined): string {
  return `${publicOrigin(c, publicUrl)}/auth/callback`;
}

/** Where clients reach this server: GITLORE_PUBLIC_URL's origin, else the request's. */
export function publicOrigin(c: Context, publicUrl: string | undefined): string {
  return publicUrl ? new URL(publicUrl).origin : new URL(c.req.url).origin;
}

/**
 * Where to go after sign-in: a path on this site only. Anything else (another host, `//host`, `/\host`, a scheme,
 * control characters, the sign-in routes themselves) becomes `/`, so /auth/login can never be an open redirect.
 */
export function safeNext(raw: string | undefined | null): string {
  if (!raw || raw.length > 2000 || !raw.startsWith('/') || raw.startsWith('//') || /[\\\0-\x1f\x7f]/.test(raw)) return '/';
  const base = 'http://gitlore.invalid';
  let url: URL;
  try {
    url = new URL(raw, base);
  } catch {
    return '/';
  }
  if (url.origin !== base || url.pathname === '/login' || url.pathname.startsWith('/auth/')) return '/';
  return `${url.pathname}${url.search}${url.hash}`;
}

export function saveFlow(c: Context, options: { secretKey: string; publicUrl?: string }, flow: SignInFlow): void {
  const sealed: SealedFlow = { ...flow, exp: Date.now() + FLOW_TTL_S * 1000 };
  setCookie(c, FLOW_COOKIE, seal(options.secretKey, JSON.stringify(sealed), FLOW_PURPOSE), {
    httpOnly: true,
    // Lax: the provider sends the browser back with a top-level GET, which carries Lax cookies.
    sameSite: 'Lax',
    secure: isSecureRequest(c, options.publicUrl),
    path: '/auth',
    maxAge: FLOW_TTL_S,
  });
}

/** The flow this browser started, removed so it works once; null when missing, tampered with, or expired. */
export function takeFlow(c: Context, secretKey: string): SignInFlow | null {
  const raw = getCookie(c, FLOW_COOKIE);
  if (!raw) return null;
  deleteCookie(c, FLOW_COOKIE, { path: '/auth' });
  try {
    const flow = JSON.parse(open(secretKey, raw, FLOW_PURPOSE)) as SealedFlow;
    if (typeof flow.exp !== 'number' || flow.exp <= Date.now()) return null;
    return { kind: flow.kind, checks: flow.checks, next: safeNext(flow.next), userId: flow.userId };
  } catch {
    return null;
  }
}
