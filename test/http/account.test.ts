import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { startSession } from '../../src/core/auth/sessions.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { csrfToken } from '../../src/server/session.js';
import type { UserRecord } from '../../src/store/index.js';
import { tempDir } from '../helpers/git.js';
import { openTestApp } from '../mcp/fixture.js';

/**
 * The account API over HTTP with sign-in required: browser sessions (cookie + X-CSRF-Token) of a member and an
 * admin, and the tokens they create for MCP clients.
 */
const SECRET_KEY = 'test-secret-key-0123456789';
let app: App;
let http: ReturnType<typeof createHttpApp>;
const sessions: Record<string, string> = {};
let member: UserRecord;
let admin: UserRecord;

type Doc = Record<string, unknown> & { error?: { code: string; message: string; hint?: string } };

function call(who: string, method: string, path: string, body?: unknown, csrf = true): Promise<Response> {
  const secret = sessions[who] as string;
  const headers: Record<string, string> = { cookie: `gitlore_session=${secret}`, accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (csrf && method !== 'GET') headers['x-csrf-token'] = csrfToken(SECRET_KEY, secret);
  return Promise.resolve(http.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }));
}
async function json(res: Response | Promise<Response>, status = 200): Promise<Doc> {
  const r = await res;
  const doc = (await r.json()) as Doc;
  expect(r.status, JSON.stringify(doc)).toBe(status);
  return doc;
}

beforeAll(async () => {
  const root = tempDir('gitlore-account-http-');
  app = await openTestApp(join(root, 'data'), root, { SECRET_KEY });
  http = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: true });
  const signIn = (subject: string, role: 'admin' | 'member') =>
    app.store.users.signIn({ provider: 'oidc', subject, email: `${subject}@acme.dev` }, { role, linkByEmail: false });
  member = await signIn('member', 'member');
  admin = await signIn('admin', 'admin');
  sessions.member = (await startSession(app.store.sessions, member, app.config)).secret;
  sessions.admin = (await startSession(app.store.sessions, admin, app.config)).secret;
});
afterAll(async () => {
  await app?.close();
});

describe('my tokens', () => {
  it('creates a token with its secret once and an MCP client snippet; lists never show the secret again', async () => {
    const created = await json(call('member', 'POST', '/api/tokens', { name: 'laptop', scopes: ['mcp'] }));
    const secret = created.token as string;
    expect(secret).toMatch(/^glt_[0-9a-f]{64}$/);
    expect(created).toMatchObject({ name: 'laptop', userId: member.id, scopes: ['mcp'] });
    const mcp = created.mcp as { url: string; json: string; command: string };
    expect(mcp.url).toBe('http://localhost/mcp');
    expect(JSON.parse(mcp.json)).toEqual({
      mcpServers: { gitlore: { type: 'http', url: 'http://localhost/mcp', headers: { Authorization: `Bearer ${secret}` } } },
    });
    expect(mcp.command).toBe(`claude mcp add --transport http gitlore http://localhost/mcp --header "Authorization: Bearer ${secret}"`);

    const listed = await json(call('member', 'GET', '/api/tokens'));
    expect((listed.tokens as { name: string }[]).map((t) => t.name)).toEqual(['laptop']);
    expect(JSON.stringify(listed)).not.toContain(secret.slice(12));
    expect(JSON.stringify(await json(call('admin', 'GET', '/api/tokens?user=all')))).not.toContain(secret.slice(12));
    expect(JSON.stringify(await json(call('admin', 'GET', '/api/audit')))).not.toContain(secret.slice(12));

    // The token works at /mcp (its scope) and nowhere else; revoked, it works nowhere.
    const bearer = { authorization: `Bearer ${secret}` };
    expect((await http.request('/api/repos', { headers: bearer })).status).toBe(403);
    const tools = await http.request('/mcp', {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: {} }),
    });
    expect(tools.status).toBe(200);
    const revoked = await json(call('member', 'DELETE', `/api/tokens/${created.id}`));
    expect((revoked.token as { revokedAt: string | null }).revokedAt).not.toBeNull();
    expect((await http.request('/mcp', { method: 'POST', headers: bearer, body: '{}' })).status).toBe(401);
  });

  it('refuses a change without the CSRF header, an invalid name or scope, and another user’s token', async () => {
    const refused = await json(call('member', 'POST', '/api/tokens', { name: 'x' }, false), 403);
    expect(refused.error?.message).toMatch(/CSRF/);
    expect((await json(call('member', 'POST', '/api/tokens', { name: 'two words' }), 400)).error?.code).toBe('QUERY_INVALID');
    expect((await json(call('member', 'POST', '/api/tokens', { name: 'x', scopes: ['root'] }), 400)).error?.code).toBe('QUERY_INVALID');
    const theirs = await json(call('admin', 'POST', '/api/tokens', { name: 'admin-ci' }));
    expect((await json(call('member', 'DELETE', `/api/tokens/${theirs.id}`), 404)).error?.code).toBe('TOKEN_NOT_FOUND');
    expect((await json(call('member', 'DELETE', `/api/tokens/${theirs.id}`, undefined, false), 403)).error?.message).toMatch(/CSRF/);
  });

  it('uses GITLORE_PUBLIC_URL for the snippet when set', async () => {
    const root = tempDir('gitlore-account-public-');
    const other = await openTestApp(join(root, 'data'), root, { SECRET_KEY, GITLORE_PUBLIC_URL: 'https://gitlore.acme.dev/' });
    try {
      const otherHttp = createHttpApp({ app: other, version: '9.9.9', scheduler: null, requireAuth: true });
      const user = await other.store.users.signIn(
        { provider: 'oidc', subject: 'u', email: 'u@acme.dev' },
        { role: 'member', linkByEmail: false },
      );
      const secret = (await startSession(other.store.sessions, user, other.config)).secret;
      const res = await otherHttp.request('/api/tokens', {
        method: 'POST',
        headers: { cookie: `gitlore_session=${secret}`, 'content-type': 'application/json', 'x-csrf-token': csrfToken(SECRET_KEY, secret) },
        body: JSON.stringify({ name: 'ci' }),
      });
      const doc = (await res.json()) as { mcp: { url: string; command: string } };
      expect(doc.mcp.url).toBe('https://gitlore.acme.dev/mcp');
      expect(doc.mcp.command).toContain('gitlore https://gitlore.acme.dev/mcp --header');
    } finally {
      await other.close();
    }
  });
});

describe('admin', () => {
  it('a member is refused users, others’ tokens, role changes and the audit log, each naming what is needed', async () => {
    for (const [method, path, body] of [
      ['GET', '/api/users', undefined],
      ['GET', '/api/tokens?user=all', undefined],
      ['POST', `/api/users/${member.id}`, { role: 'admin' }],
      ['GET', '/api/audit', undefined],
    ] as const) {
      const doc = await json(call('member', method, path, body), 403);
      expect(doc.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/^Only admins can /) });
    }
    expect((await app.store.users.get(member.id))?.role).toBe('member');
  });

  it('an admin lists users, changes a role, and reads it in the audit log with filters', async () => {
    const { users } = (await json(call('admin', 'GET', '/api/users'))) as unknown as {
      users: { id: string; role: string; disabled: boolean }[];
    };
    expect(users.find((u) => u.id === member.id)).toMatchObject({ role: 'member', disabled: false, permissions: null });
    const changed = await json(call('admin', 'POST', `/api/users/${member.id}`, { role: 'admin' }));
    expect(changed.user).toMatchObject({ id: member.id, role: 'admin' });
    // The member's own session now acts as an admin.
    await json(call('member', 'GET', '/api/users'));
    await json(call('admin', 'POST', `/api/users/${member.id}`, { role: 'member' }));
    const events = (await json(call('admin', 'GET', `/api/audit?action=role.set&actor=${admin.id}&since=1%20day%20ago&limit=1`)))
      .events as {
      detail: unknown;
    }[];
    expect(events).toHaveLength(1);
    expect(events[0]?.detail).toEqual({ from: 'admin', to: 'member' });
    expect((await json(call('admin', 'GET', '/api/audit?action=role.set&actor=nobody'))).events).toEqual([]);
    expect((await json(call('admin', 'POST', `/api/users/${member.id}`, { role: 'owner' }), 400)).error?.code).toBe('QUERY_INVALID');
  });

  it('the last active admin cannot demote or disable themselves', async () => {
    const doc = await json(call('admin', 'POST', `/api/users/${admin.id}`, { disabled: true }), 403);
    expect(doc.error?.message).toMatch(/last active admin/);
    expect((await json(call('admin', 'POST', `/api/users/${admin.id}`, { role: 'member' }), 403)).error?.code).toBe('FORBIDDEN');
  });

  it('disabling a user ends their session and refuses their tokens; an admin revokes any token', async () => {
    const created = await json(call('member', 'POST', '/api/tokens', { name: 'cli' }));
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await http.request('/api/me', { headers: bearer })).status).toBe(200);
    await json(call('admin', 'POST', `/api/users/${member.id}`, { disabled: true }));
    expect((await call('member', 'GET', '/api/me')).status).toBe(401);
    expect((await http.request('/api/me', { headers: bearer })).status).toBe(401);
    const listed = (await json(call('admin', 'GET', `/api/tokens?user=${member.id}`))).tokens as { id: number; revokedAt: string | null }[];
    expect(listed.find((t) => t.id === created.id)?.revokedAt).toBeNull();
    await json(call('admin', 'DELETE', `/api/tokens/${created.id}`));
    await json(call('admin', 'POST', `/api/users/${member.id}`, { disabled: false }));
    expect((await http.request('/api/me', { headers: bearer })).status).toBe(401);
    const actions = ((await json(call('admin', 'GET', '/api/audit?since=1%20day%20ago'))).events as { action: string }[]).map(
      (e) => e.action,
    );
    expect(actions.slice(0, 3)).toEqual(['user.enable', 'token.revoke', 'user.disable']);
  });

  it('documents the routes in /api/openapi.json', async () => {
    const doc = (await json(call('admin', 'GET', '/api/openapi.json'))) as { paths: Record<string, Record<string, unknown>> };
    expect(Object.keys(doc.paths['/api/tokens'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(doc.paths['/api/tokens/{id}'] ?? {})).toEqual(['delete']);
    expect(doc.paths['/api/users/{id}']).toHaveProperty('post');
    expect(doc.paths['/api/audit']).toHaveProperty('get');
  });
});

describe('pages', () => {
  beforeAll(async () => {
    // The member's earlier session ended when they were disabled above.
    sessions.member = (await startSession(app.store.sessions, member, app.config)).secret;
  });
  const page = async (who: string, path: string) => {
    const res = await http.request(path, { headers: { cookie: `gitlore_session=${sessions[who]}`, accept: 'text/html' } });
    return { status: res.status, html: await res.text(), csp: res.headers.get('content-security-policy') ?? '' };
  };

  it('/account shows who you are, the Link GitHub link, your tokens; the header names you with Account but no Admin', async () => {
    await json(call('member', 'POST', '/api/tokens', { name: 'page-token' }));
    const { status, html, csp } = await page('member', '/account');
    expect(status).toBe(200);
    expect(csp).toContain("script-src 'self'");
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).toContain('member@acme.dev');
    expect(html).toContain('href="/auth/github/link"');
    expect(html).toContain('page-token');
    expect(html).toMatch(/<nav aria-label="Account"[^>]*>[\s\S]*member@acme\.dev[\s\S]*href="\/account"/);
    expect(html).not.toContain('href="/admin"');
    // Every page carries the header's account links.
    expect((await page('member', '/status')).html).toContain('href="/account"');
    expect((await page('admin', '/status')).html).toContain('href="/admin"');
  });

  it('/admin: 403 page for a member; users and the audit log for an admin, every name escaped', async () => {
    const refused = await page('member', '/admin');
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Only admins can open the admin page.');
    await app.store.users.signIn(
      { provider: 'oidc', subject: 'evil', email: 'evil@acme.dev', name: '<img src=x onerror=alert(1)>' },
      { role: 'member', linkByEmail: false },
    );
    const { status, html } = await page('admin', '/admin?action=role.');
    expect(status).toBe(200);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(`aria-label="Role of member@acme.dev"`);
    expect(html).toContain('role.set');
    const bad = await page('admin', '/admin?since=whenever');
    expect(bad.status).toBe(400);
    expect(bad.html).toContain('is not a valid date');
  });
});
