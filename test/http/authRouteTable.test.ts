import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/core/apiTokens.js';
import type { App } from '../../src/core/app.js';
import { endSession, startSession } from '../../src/core/auth/sessions.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { isApiPath, PUBLIC_ROUTES } from '../../src/server/publicRoutes.js';
import { tempDir } from '../helpers/git.js';
import { openTestApp } from '../mcp/fixture.js';

/**
 * The auth rule, checked over the route table rather than a hand-kept list: every route and middleware Hono has
 * registered is turned into a concrete request and sent without credentials (and with credentials that no longer
 * count); everything but PUBLIC_ROUTES must be refused by the gate. A route added later, anywhere, is walked too.
 */
type Http = ReturnType<typeof createHttpApp>;

const SECRET_KEY = 'route-table-secret-key-0123456789abcdef';
/** A value for each path parameter, valid for its route's schema, so a request that got past the gate would run. */
const SAMPLE_PARAMS: Record<string, string> = { id: 'AAAAAAAAAAAAAAAAAAAAAA', hash: 'abc1234', repo: 'sample-repo', name: 'app.js' };
/** What the gate (server/auth.ts) says when it refuses. */
const GATE_MESSAGES = [
  'Sign in or send an API token.',
  'An API token is required.',
  'The API token is invalid or revoked.',
  'Sign in to use gitlore here.',
];

interface Probe {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  /** The route-table pattern it came from. */
  route: string;
}

/** A concrete path for a route pattern: `:param` → a sample value, `*` → a sample segment. */
function concretePath(pattern: string): string {
  const path = pattern
    .replace(/:([A-Za-z]+)(\{[^}]*\})?/g, (_, name: string) => SAMPLE_PARAMS[name] ?? 'sample')
    .replace(/\*/g, 'sample-segment');
  return path.startsWith('/') ? path : `/${path}`;
}

/** Every (method, concrete path) the route table holds; `ALL` (middleware, catch-alls) is probed with GET and POST. */
function probesOf(http: Hono): Probe[] {
  const probes = new Map<string, Probe>();
  for (const { method, path } of http.routes) {
    const methods = method === 'ALL' ? (['GET', 'POST'] as const) : [method as Probe['method']];
    for (const m of methods) probes.set(`${m} ${concretePath(path)}`, { method: m, path: concretePath(path), route: path });
  }
  return [...probes.values()];
}

const isPublicRoute = (route: string) => Object.hasOwn(PUBLIC_ROUTES, route);

/** Why this response is not the gate's refusal; null when it is. */
async function notRefused(res: Response, probe: Probe, signIn: boolean): Promise<string | null> {
  const what = `${probe.method} ${probe.path} (route ${probe.route}) answered ${res.status}`;
  if (isApiPath(probe.path)) {
    if (res.status !== 401) return what;
    const body = (await res.json()) as { error?: { code?: string; message?: string } };
    return body.error?.code === 'UNAUTHORIZED' && GATE_MESSAGES.includes(body.error.message ?? '')
      ? null
      : `${what} ${JSON.stringify(body)}`;
  }
  if (signIn && probe.method === 'GET') {
    const location = res.headers.get('location') ?? '';
    return res.status === 302 && location.startsWith(`/login?next=${encodeURIComponent(probe.path)}`) ? null : `${what} → ${location}`;
  }
  return res.status === 401 && (res.headers.get('content-type') ?? '').startsWith('text/html') ? null : what;
}

/** The probes of non-public routes the gate did not refuse, as readable lines (empty: the rule holds). */
async function unguarded(http: Hono, headers: Record<string, string>, signIn: boolean): Promise<string[]> {
  const misses: string[] = [];
  for (const probe of probesOf(http)) {
    if (isPublicRoute(probe.route)) continue;
    const res = await http.request(probe.path, {
      method: probe.method,
      headers: { ...headers, ...(probe.method === 'GET' ? {} : { 'content-type': 'application/json' }) },
      ...(probe.method === 'GET' ? {} : { body: '{}' }),
    });
    const miss = await notRefused(res, probe, signIn);
    if (miss) misses.push(miss);
  }
  return misses;
}

/** A response to a public route that shows the gate refused it. */
async function refusedByGate(res: Response): Promise<boolean> {
  if (res.status === 302 && (res.headers.get('location') ?? '').startsWith('/login')) return true;
  if (res.status !== 401) return false;
  const text = await res.text();
  return GATE_MESSAGES.some((message) => text.includes(message));
}

for (const signIn of [false, true]) {
  describe(`every route but the public ones needs credentials (GITLORE_AUTH=${signIn ? 'oidc' : 'none'}, auth required)`, () => {
    let app: App;
    let http: Http;
    const headers: Record<string, Record<string, string>> = {};

    beforeAll(async () => {
      const dir = tempDir('gitlore-routes-');
      app = await openTestApp(`${dir}/data`, dir, {
        SECRET_KEY,
        ...(signIn
          ? {
              GITLORE_AUTH: 'oidc',
              OIDC_ISSUER: 'http://127.0.0.1:9/issuer',
              OIDC_CLIENT_ID: 'gitlore',
              OIDC_CLIENT_SECRET: 'client-secret',
            }
          : {}),
      });
      http = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: true });
      const user = await app.store.users.signIn(
        { provider: 'oidc', subject: 'ada', email: 'ada@acme.dev' },
        { role: 'admin', linkByEmail: false },
      );
      const revoked = await createApiToken(app.store.tokens, 'revoked', { userId: user.id });
      await app.store.tokens.revoke('revoked');
      const ended = (await startSession(app.store.sessions, user, app.config)).secret;
      await endSession(app.store.sessions, ended);
      headers.none = {};
      headers['unknown token'] = { authorization: 'Bearer glt_thisTokenWasNeverIssued000000000000' };
      headers['revoked token'] = { authorization: `Bearer ${revoked.token}` };
      headers['forged cookie'] = { cookie: 'gitlore_session=forged-session-secret-000000000000000000' };
      headers['cookie of a signed-out session'] = { cookie: `gitlore_session=${ended}` };
    });

    afterAll(async () => {
      await app?.close();
    });

    it('the walk covers the API, MCP, the pages and the middleware', () => {
      const routes = new Set(probesOf(http).map((p) => p.route));
      for (const route of ['/api/search', '/api/files/:repo/*', '/mcp', '/r/:repo/blob/*', '/chat/:id', '/api/*', '/*']) {
        expect(routes).toContain(route);
      }
    });

    for (const credential of ['none', 'unknown token', 'revoked token', 'forged cookie', 'cookie of a signed-out session']) {
      it(`refuses every non-public route with ${credential === 'none' ? 'no credentials' : `${/^[aeiou]/.test(credential) ? 'an' : 'a'} ${credential}`}`, async () => {
        expect(await unguarded(http, headers[credential] ?? {}, signIn)).toEqual([]);
      });
    }

    it('lets every public route through the gate', async () => {
      for (const route of Object.keys(PUBLIC_ROUTES)) {
        for (const method of ['GET', 'POST']) {
          const res = await http.request(concretePath(route), { method });
          expect(await refusedByGate(res), `${method} ${route} answered ${res.status}`).toBe(false);
        }
      }
    });

    it('a route registered after the app was built still goes through the gate', async () => {
      const later = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: true });
      later.get('/api/added-later', (c) => c.json({ secret: 'later' }));
      later.get('/added-later-page', (c) => c.html('<p>later</p>'));
      expect(probesOf(later).map((p) => p.route)).toContain('/api/added-later');
      expect(await unguarded(later, {}, signIn)).toEqual([]);
    });

    it('fails for a route that answers in front of the gate', async () => {
      // A route registered before the gate's middleware, as a module mounted ahead of createHttpApp's would be.
      const leaky = new Hono();
      leaky.get('/api/leaky/:id', (c) => c.json({ secret: c.req.param('id') }));
      leaky.route('/', http);
      expect(await unguarded(leaky, {}, signIn)).toEqual([`GET /api/leaky/${SAMPLE_PARAMS.id} (route /api/leaky/:id) answered 200`]);
    });
  });
}
