import type { Hono } from 'hono';
import { CookieJar } from '../fakes/oidcIssuer.js';

/** The origin the in-process app is addressed by; the issuer's client has `${ORIGIN}/auth/callback` registered. */
export const ORIGIN = 'http://gitlore.test';
export const CALLBACK = `${ORIGIN}/auth/callback`;

/** One browser on the in-process app: its cookies, kept across requests. */
export class TestBrowser {
  readonly jar = new CookieJar();
  constructor(
    private readonly http: Hono,
    private readonly headers: Record<string, string> = {},
  ) {}

  async visit(pathOrUrl: string, init: RequestInit = {}): Promise<Response> {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${ORIGIN}${pathOrUrl}`;
    const res = await this.http.request(url, {
      ...init,
      headers: { ...this.headers, cookie: this.jar.header(), ...((init.headers as Record<string, string>) ?? {}) },
    });
    this.jar.take(res);
    return res;
  }

  /** A POST as the web app sends it: JSON, with the CSRF cookie copied into X-CSRF-Token. */
  post(path: string, body: unknown = {}): Promise<Response> {
    return this.visit(path, {
      method: 'POST',
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.jar.cookies.get('gitlore_csrf') ?? '' },
    });
  }

  get session(): string | undefined {
    return this.jar.cookies.get('gitlore_session');
  }
}

/** The Set-Cookie line of one cookie in a response, or undefined. */
export function setCookieLine(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((line) => line.startsWith(`${name}=`));
}

/** The caller as /api/me sees it with only this session cookie (status, and the body when 200). */
export async function whoIs(http: Hono, session: string | undefined): Promise<{ status: number; email?: string; role?: string }> {
  const res = await http.request(`${ORIGIN}/api/me`, { headers: session ? { cookie: `gitlore_session=${session}` } : {} });
  if (res.status !== 200) return { status: res.status };
  const me = (await res.json()) as { email: string; role: string };
  return { status: 200, email: me.email, role: me.role };
}
