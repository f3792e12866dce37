import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/core/apiTokens.js';
import type { App } from '../../src/core/app.js';
import { startSession } from '../../src/core/auth/sessions.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { csrfToken } from '../../src/server/session.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

/**
 * A token of a user acts as that user at every door of the API (the repo gate decides what it sees), and its
 * scopes narrow it. The fixture's repository is a local folder: with GITLORE_DEFAULT_VISIBILITY=admins a member
 * may not see it, an admin and the operator may.
 */
let fixture: Fixture;
let app: App;
let http: ReturnType<typeof createHttpApp>;
const tokens: Record<string, string> = {};
const cookies: Record<string, string> = {};
const TEST_SECRET_KEY = 'test-secret-key-0123456789';

const get = (path: string, who: string) => http.request(path, { headers: { authorization: `Bearer ${tokens[who]}` } });
const post = (path: string, who: string, body: unknown) =>
  http.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${tokens[who]}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
    body: JSON.stringify(body),
  });
const repoNames = async (who: string) => {
  const res = await get('/api/repos', who);
  expect(res.status).toBe(200);
  return ((await res.json()) as { repos: { name: string }[] }).repos.map((r) => r.name);
};

beforeAll(async () => {
  fixture = await makeFixture();
  app = await openTestApp(fixture.dataDir, fixture.root, { GITLORE_DEFAULT_VISIBILITY: 'admins', SECRET_KEY: TEST_SECRET_KEY });
  const { syncRepos } = await import('../../src/core/syncRepos.js');
  const { indexRepos } = await import('../../src/core/indexRepos.js');
  const { createContext } = await import('../../src/core/context.js');
  await syncRepos({}, createContext(app));
  await indexRepos({ skipEmbeddings: true }, createContext(app));
  http = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: true });
  const user = (subject: string, role: 'admin' | 'member') =>
    app.store.users.signIn({ provider: 'oidc', subject, email: `${subject}@acme.dev` }, { role, linkByEmail: false });
  const member = await user('member', 'member');
  const admin = await user('admin', 'admin');
  const gone = await user('gone', 'member');
  await app.store.users.setDisabled(gone.id, true);
  const make = async (name: string, owner: { userId?: string; scopes?: string[] }) => {
    tokens[name] = (await createApiToken(app.store.tokens, name, owner)).token;
  };
  await make('operator', {});
  await make('member', { userId: member.id });
  await make('admin', { userId: admin.id });
  await make('gone', { userId: gone.id });
  await make('mcp-only', { userId: admin.id, scopes: ['mcp'] });
  await make('read-only', { scopes: ['read'] });
  cookies.member = (await startSession(app.store.sessions, member, app.config)).secret;
  cookies.admin = (await startSession(app.store.sessions, admin, app.config)).secret;
  cookies.gone = (await startSession(app.store.sessions, gone, app.config)).secret;
});

afterAll(async () => {
  await app?.close();
});

describe('API tokens of users', () => {
  it('see what their user may see: the operator and an admin the local repository, a member nothing', async () => {
    expect(await repoNames('operator')).toEqual(['widgets']);
    expect(await repoNames('admin')).toEqual(['widgets']);
    expect(await repoNames('member')).toEqual([]);
    const search = await get('/api/search?q=parseWidget&repo=widgets', 'member');
    expect(search.status).toBe(404);
    expect(((await search.json()) as { error: { code: string } }).error.code).toBe('REPO_NOT_FOUND');
    expect((await get('/api/search?q=parseWidget&repo=widgets', 'admin')).status).toBe(200);
    expect((await get('/api/files/widgets/src/parse.ts', 'member')).status).toBe(404);
  });

  it('over MCP too', async () => {
    const call = async (who: string) => {
      const res = await post('/mcp', who, { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_repos', arguments: {} } });
      expect(res.status).toBe(200);
      return JSON.stringify(await res.json());
    };
    expect(await call('admin')).toContain('widgets');
    expect(await call('member')).not.toContain('widgets');
  });

  it('a disabled user’s token is refused; scopes narrow a token', async () => {
    const gone = await get('/api/repos', 'gone');
    expect(gone.status).toBe(401);
    expect(((await gone.json()) as { error: { message: string } }).error.message).toMatch(/can no longer sign in/);

    const mcpOnly = await get('/api/repos', 'mcp-only');
    expect(mcpOnly.status).toBe(403);
    expect(((await mcpOnly.json()) as { error: { message: string } }).error.message).toMatch(/only \/mcp/);
    const viaMcp = await post('/mcp', 'mcp-only', {
      jsonrpc: '2.0',
      id: 1,
      method: 'tools/call',
      params: { name: 'list_repos', arguments: {} },
    });
    expect(viaMcp.status).toBe(200);

    expect(await repoNames('read-only')).toEqual(['widgets']);
    const sync = await post('/api/sync', 'read-only', {});
    expect(sync.status).toBe(403);
    expect(((await sync.json()) as { error: { message: string } }).error.message).toMatch(/read-only/);
  });
});

describe('token use in the audit log', () => {
  it('records a token’s first use of the day once, as its user, never with the secret', async () => {
    const { hashToken } = await import('../../src/core/apiTokens.js');
    const fresh = (
      await createApiToken(app.store.tokens, 'audited', { userId: (await app.store.users.findByEmail('member@acme.dev'))?.id })
    ).token;
    const call = () => http.request('/api/me', { headers: { authorization: `Bearer ${fresh}` } });
    expect((await call()).status).toBe(200);
    expect((await call()).status).toBe(200);
    const used = (await app.store.audit.list({ action: 'token.used' })).filter((e) => e.target === 'audited');
    expect(used).toHaveLength(1);
    expect(used[0]?.detail).toMatchObject({ firstUse: true });
    expect(used[0]?.actor).toMatch(/^u_/);
    expect(JSON.stringify(used)).not.toContain(fresh);
    expect(JSON.stringify(used)).not.toContain(hashToken(fresh));
  });
});

describe('browser sessions', () => {
  const browse = (path: string, who?: string) =>
    http.request(path, who ? { headers: { cookie: `gitlore_session=${cookies[who] ?? who}` } } : {});

  it('a session cookie signs the browser in as its user, for the API and the pages', async () => {
    const admin = await browse('/api/repos', 'admin');
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as { repos: { name: string }[] }).repos.map((r) => r.name)).toEqual(['widgets']);
    const member = await browse('/api/repos', 'member');
    expect(((await member.json()) as { repos: unknown[] }).repos).toEqual([]);
    expect((await browse('/r/widgets', 'admin')).status).toBe(200);
    expect((await browse('/r/widgets', 'member')).status).toBe(404);
  });

  it('only admins start syncs or ingests; a member is refused naming the action', async () => {
    const headers = { cookie: `gitlore_session=${cookies.member}`, 'content-type': 'application/json' };
    // A browser's POST without the session's CSRF token is refused before anything else.
    const forged = await http.request('/api/sync', { method: 'POST', headers, body: '{}' });
    expect(forged.status).toBe(403);
    expect(((await forged.json()) as { error: { message: string } }).error.message).toMatch(/CSRF token/);
    const wrong = await http.request('/api/sync', { method: 'POST', headers: { ...headers, 'x-csrf-token': 'x'.repeat(43) }, body: '{}' });
    expect(wrong.status).toBe(403);
    const refused = await http.request('/api/sync', {
      method: 'POST',
      headers: { ...headers, 'x-csrf-token': csrfToken(TEST_SECRET_KEY, cookies.member as string) },
      body: '{}',
    });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { message: string } }).error.message).toBe('Only admins can start a sync.');
    const ingest = await post('/api/ingest', 'member', { org: 'acme' });
    expect(ingest.status).toBe(403);
    // An admin gets past the role check (this app has no job queue: 501 says so).
    expect((await post('/api/sync', 'admin', {})).status).toBe(501);
  });

  it('GET /api/me says who the caller is', async () => {
    expect(await (await browse('/api/me', 'member')).json()).toMatchObject({
      kind: 'user',
      role: 'member',
      email: 'member@acme.dev',
    });
    expect(await (await get('/api/me', 'admin')).json()).toMatchObject({ kind: 'user', role: 'admin', email: 'admin@acme.dev' });
    expect(await (await get('/api/me', 'operator')).json()).toMatchObject({ kind: 'local', role: 'admin' });
  });

  it('no cookie, a forged one, or a disabled user’s: 401 on the API and the pages', async () => {
    for (const who of [undefined, 'A'.repeat(43), 'gone']) {
      expect((await browse('/api/repos', who)).status).toBe(401);
      const page = await browse('/', who);
      expect(page.status).toBe(401);
      expect(await page.text()).toMatch(/Sign in to use gitlore here/);
    }
  });
});
