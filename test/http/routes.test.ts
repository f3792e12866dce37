import { readFileSync } from 'node:fs';
import { inspectRoutes } from 'hono/dev';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../src/core/apiTokens.js';
import type { App } from '../../src/core/app.js';
import { createCoreRunner } from '../../src/core/jobRunner.js';
import { syncRepos } from '../../src/core/syncRepos.js';
import { createInProcessJobQueue, type JobQueue } from '../../src/jobs/jobQueue.js';
import type { JobInfo } from '../../src/jobs/scheduler.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { commitsQuery, MAX_LIMIT } from '../../src/server/routes/commits.js';
import { searchQuery } from '../../src/server/routes/search.js';
import { WEB_PATHS } from '../../src/server/web/webRoutes.js';
import { signGithubPayload } from '../../src/server/webhook.js';
import { SEARCH_LIMIT } from '../../src/shared/searchLimits.js';
import { type FakeGithubServer, startGithubServer } from '../fakes/githubServer.js';
import { commitFiles, git, makeRepo } from '../helpers/git.js';
import { captureLogger, type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

const SECRET = 'webhook-secret-for-tests';
const GH_TOKEN = 'ghp_abcdefghijklmnopqrstuvwxyz0123456789';

let fixture: Fixture;
let app: App;
let scheduler: JobQueue;
let http: ReturnType<typeof createHttpApp>;
let logLines: string[];
let github: FakeGithubServer;
const jobs: JobInfo[] = [];

/** A Hono route path as a pattern over OpenAPI paths: `:name` is `{name}`, a trailing `*` is one `{name}` taking the rest. */
function honoPattern(path: string): RegExp {
  const escaped = path.replace(/[.+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace(/:(\w+)/g, '\\{$1\\}').replace(/\/\*$/, '/\\{\\w+\\}')}$`);
}

async function json(path: string, init?: RequestInit) {
  // State-changing routes take JSON only (a string body alone would go as text/plain).
  const headers = typeof init?.body === 'string' ? { 'content-type': 'application/json', ...init.headers } : init?.headers;
  const res = await http.request(path, { ...init, headers });
  // biome-ignore lint/suspicious/noExplicitAny: tests probe JSON bodies freely
  return { status: res.status, body: (await res.json()) as Record<string, any> };
}

beforeAll(async () => {
  fixture = await makeFixture();
  const captured = captureLogger();
  logLines = captured.lines;
  // POST /api/ingest talks to a loopback GitHub API; org acme has one private repository.
  const gadgets = `${fixture.root}/upstream/gadgets`;
  makeRepo(gadgets, { 'main.go': 'package main\n' });
  github = await startGithubServer({
    orgs: new Map([['acme', [{ owner: 'acme', name: 'gadgets', cloneUrl: gadgets, private: true }]]]),
    tokens: new Map([[GH_TOKEN, 'alice']]),
  });
  const env = { GITHUB_WEBHOOK_SECRET: SECRET, SKIP_AUTO_INDEX: 'true', GITHUB_API_URL: github.url };
  app = await openTestApp(fixture.dataDir, fixture.root, env, captured.log);
  const runner = createCoreRunner(app, { syncRepos, indexRepos: async () => undefined }, { retryBaseMs: 10 });
  scheduler = createInProcessJobQueue({
    runner,
    log: app.log,
    skipSync: false,
    skipIndex: true,
    intervalSec: 0,
    onJob: (j) => jobs.push({ ...j }),
  });
  http = createHttpApp({ app, version: '9.9.9', scheduler, requireAuth: false });
});

afterAll(async () => {
  await scheduler?.stop();
  await app?.store.close();
  await github?.close();
});

describe('HTTP API', () => {
  it('GET /health answers with the version', async () => {
    const { status, body } = await json('/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', version: '9.9.9', auth: 'none' });
  });

  it('GET /api/repos lists the synced repository, filtered by q', async () => {
    const all = await json('/api/repos');
    expect(all.status).toBe(200);
    expect(all.body.repos.map((r: { name: string }) => r.name)).toEqual(['widgets']);
    expect(all.body.repos[0].headCommit).toBe(fixture.head);
    expect((await json('/api/repos?q=nothing-like-this')).body.total).toBe(0);
  });

  it('GET /api/repos/:repo gives the overview; unknown repo is 404 REPO_NOT_FOUND', async () => {
    const { status, body } = await json('/api/repos/widgets');
    expect(status).toBe(200);
    expect(body.readmeSummary).toBe('Widgets is a tiny library that parses widget specs.');
    expect(body.languages.map((l: { language: string }) => l.language)).toEqual(['Markdown', 'TypeScript', 'Python']);
    expect(body.topContributors).toHaveLength(2);
    expect(body.recentCommits[0]).toMatchObject({ hash: fixture.head, author: 'Bob Builder', subject: 'add report tool' });
    const missing = await json('/api/repos/nope');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('REPO_NOT_FOUND');
    expect(missing.body.error.hint).toContain('gitlore repo list');
  });

  it('GET /api/files returns file lines; traversal is 400 PATH_INVALID; missing file is 404', async () => {
    const ok = await json('/api/files/widgets/src/parse.ts?startLine=2&endLine=2');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      repo: 'widgets',
      path: 'src/parse.ts',
      startLine: 2,
      endLine: 2,
      totalLines: 3,
      text: '  return spec.split(",");',
    });
    // A literal or %2E-encoded `../` is resolved by URL parsing before routing: it never reaches the file route.
    expect((await json('/api/files/widgets/%2E%2E/%2E%2E/etc/passwd')).status).toBe(404);
    for (const bad of ['..%2F..%2Fetc%2Fpasswd', '%2Fetc%2Fpasswd', '.git%2Fconfig', 'src%2F..%2F..%2F..%2Fetc%2Fpasswd']) {
      const res = await json(`/api/files/widgets/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('PATH_INVALID');
    }
    const missing = await json('/api/files/widgets/src/nothing.ts');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('FILE_NOT_FOUND');
    expect((await json('/api/files/nope/README.md')).status).toBe(404);
    expect((await json('/api/files/widgets/README.md?ref=--output=x')).status).toBe(400);
  });

  it('GET /api/blame answers the blame tool’s document for a range; a bad range is 400, traversal PATH_INVALID', async () => {
    const ok = await json('/api/blame/widgets/src/parse.ts?startLine=2&endLine=3');
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      repo: 'widgets',
      path: 'src/parse.ts',
      startLine: 2,
      endLine: 3,
      content: '  return spec.split(",");\n}',
      groups: [{ startLine: 2, endLine: 3, origPath: 'src/parse.ts', origStartLine: 2 }],
      lastChange: { subject: 'initial' },
    });
    expect(ok.body.commits).toHaveLength(1);
    expect((await json('/api/blame/widgets/src/parse.ts?startLine=0')).status).toBe(400);
    const bad = await json('/api/blame/widgets/..%2F..%2Fetc%2Fpasswd');
    expect([bad.status, bad.body.error.code]).toEqual([400, 'PATH_INVALID']);
  });

  it('GET /api/search rejects a missing query and a huge limit with 400', async () => {
    const noQuery = await json('/api/search');
    expect(noQuery.status).toBe(400);
    expect(noQuery.body.error.message).toContain('q');
    const huge = await json('/api/search?q=widget&limit=1000000');
    expect(huge.status).toBe(400);
    expect(huge.body.error).toMatchObject({ code: 'QUERY_INVALID' });
    expect(huge.body.error.message).toContain('at most 200');
    expect((await json('/api/search?q=widget&limit=abc')).status).toBe(400);
    expect((await json('/api/search?q=widget&mode=telepathy')).status).toBe(400);
  });

  it('GET /api/search answers a query syntax error with 400 {error: {code, message, hint}} pointing at the column', async () => {
    const typo = await json(`/api/search?q=${encodeURIComponent('repo:widgets lnag:go parse')}`);
    expect(typo.status).toBe(400);
    expect(Object.keys(typo.body)).toEqual(['error']);
    expect(Object.keys(typo.body.error).sort()).toEqual(['code', 'hint', 'message']);
    expect(typo.body.error.code).toBe('QUERY_INVALID');
    expect(typo.body.error.message).toMatch(/^Unknown filter "lnag:" at column 14; did you mean lang:\? Known filters: repo:/);
    // The hint pictures the query with a caret under column 14.
    const [shown, caret] = typo.body.error.hint.split('\n');
    expect(shown).toBe('  repo:widgets lnag:go parse');
    expect(caret.indexOf('^')).toBe(2 + 13);
    const unclosed = await json(`/api/search?q=${encodeURIComponent('parse "widget spec')}`);
    expect(unclosed.body.error).toMatchObject({ code: 'QUERY_INVALID', message: 'Unclosed quote at column 7.' });
    const diff = await json(`/api/search?q=${encodeURIComponent('type:diff /parse\\w+/')}`);
    expect(diff.status).toBe(400);
    expect(diff.body.error.message).toMatch(/^type:diff searches the words of added and removed lines at column 11/);
    // type:diff itself answers: commits with their changed lines.
    const found = await json(`/api/search?q=${encodeURIComponent('type:diff parse')}`);
    expect(found.status).toBe(200);
    expect(Array.isArray(found.body.diffs)).toBe(true);
  });

  it('GET /api/commits pages the history; unknown repo 404, missing repo 400', async () => {
    const { status, body } = await json('/api/commits?repo=widgets&limit=1');
    expect(status).toBe(200);
    expect(body.total).toBe(2);
    expect(body.commits).toHaveLength(1);
    expect(body.commits[0]).toMatchObject({ hash: fixture.head, author: 'Bob Builder', date: '2024-02-01T10:00:00+01:00' });
    expect((await json('/api/commits?repo=nope')).status).toBe(404);
    expect((await json('/api/commits')).status).toBe(400);
    const one = await json(`/api/commits/widgets/${fixture.head}`);
    expect(one.status).toBe(200);
    expect(JSON.stringify(one.body)).toContain('tools/report.py');
  });

  it('POST with malformed JSON is 400; /api/ask and /api/query explain that no LLM is configured', async () => {
    const bad = await json('/api/sync', { method: 'POST', body: '{"repo": ', headers: { 'content-type': 'application/json' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('Malformed JSON');
    const ask = await json('/api/ask', { method: 'POST', body: JSON.stringify({ question: 'what does parseWidget do?' }) });
    expect(ask.status).toBe(501);
    expect(ask.body.error.code).toBe('NOT_CONFIGURED');
    expect(ask.body.error.hint).toContain('GITLORE_LLM');
    expect((await json('/api/query', { method: 'POST', body: '{}' })).status).toBe(400);
  });

  it('unknown routes are 404 ROUTE_NOT_FOUND; oversized bodies are 413', async () => {
    const res = await json('/api/nothing');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
    const big = await json('/api/sync', {
      method: 'POST',
      body: `{"repo":"${'x'.repeat(2 * 1024 * 1024)}"}`,
      headers: { 'content-length': String(2 * 1024 * 1024 + 10) },
    });
    expect(big.status).toBe(413);
  });

  it('GET /api/openapi.json documents every route the app serves, with its method, and serves every documented path', async () => {
    const { status, body } = await json('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toBe('3.1.0');
    const documented = body.paths as Record<string, Record<string, { parameters?: { name: string; in: string }[] }>>;
    // Web pages answer HTML and are not part of the JSON API.
    const served = inspectRoutes(http).filter((r) => !r.isMiddleware && !(WEB_PATHS as readonly string[]).includes(r.path));
    expect(served.length).toBeGreaterThan(10);

    for (const route of served) {
      const docPath = Object.keys(documented).find((p) => honoPattern(route.path).test(p));
      expect(docPath, `${route.method} ${route.path} is served but not in /api/openapi.json`).toBeDefined();
      const operations = documented[docPath as string] ?? {};
      if (route.method === 'ALL') expect(Object.keys(operations).length, route.path).toBeGreaterThan(0);
      else expect(operations, `${route.method} ${route.path}`).toHaveProperty([route.method.toLowerCase()]);
      for (const [method, operation] of Object.entries(operations)) {
        const inPath = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
        expect(inPath.sort(), `${method} ${docPath}`).toEqual([...(docPath as string).matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort());
      }
    }

    // The other way round: each documented operation is registered, and a request to it reaches a route.
    const sample: Record<string, string> = { repo: 'widgets', hash: fixture.head, path: 'README.md' };
    for (const [docPath, operations] of Object.entries(documented)) {
      for (const method of Object.keys(operations)) {
        const registered = served.filter((r) => honoPattern(r.path).test(docPath));
        expect(
          registered.some((r) => r.method === 'ALL' || r.method === method.toUpperCase()),
          `${method} ${docPath} is documented but not registered`,
        ).toBe(true);
        const url = docPath.replace(/\{(\w+)\}/g, (_, name: string) => sample[name] ?? 'x');
        // A malformed body is refused before any side effect (no job is queued).
        const res = await http.request(url, method === 'get' ? {} : { method: method.toUpperCase(), body: '{"not json' });
        const reached = res.status !== 404 || ((await res.json()) as { error: { code: string } }).error.code !== 'ROUTE_NOT_FOUND';
        await res.body?.cancel();
        expect(reached, `${method} ${url}`).toBe(true);
      }
    }
  });

  it('documents for /api/search and /api/commits exactly the query parameters their zod schemas accept', async () => {
    const { body } = await json('/api/openapi.json');
    for (const [path, schema] of [
      ['/api/search', searchQuery],
      ['/api/commits', commitsQuery],
    ] as const) {
      const parameters = body.paths[path].get.parameters as { name: string; in: string; required: boolean; schema: { maximum?: number } }[];
      const query = parameters.filter((p) => p.in === 'query');
      expect(query.map((p) => p.name).sort(), path).toEqual(Object.keys(schema.shape).sort());
      for (const p of query)
        expect(p.required, `${path} ${p.name}`).toBe(!schema.shape[p.name as keyof typeof schema.shape].safeParse(undefined).success);
    }
    const limit = (path: string) => body.paths[path].get.parameters.find((p: { name: string }) => p.name === 'limit').schema.maximum;
    expect(limit('/api/search')).toBe(SEARCH_LIMIT.max);
    expect(limit('/api/commits')).toBe(MAX_LIMIT);
  });

  it('POST /api/sync queues one job for a known repo and 404s an unknown one', async () => {
    expect((await json('/api/sync', { method: 'POST', body: '{"repo":"nope"}' })).status).toBe(404);
    const res = await json('/api/sync', { method: 'POST', body: '{"repo":"widgets"}' });
    expect(res.status).toBe(202);
    expect(res.body.job).toMatchObject({ scope: 'widgets', reason: 'api' });
    await scheduler.idle();
    const status = await json('/api/sync/status');
    expect(status.body.jobs.recent[0]).toMatchObject({ id: res.body.job.id, state: 'done', scope: 'widgets' });
    expect(status.body.repos[0]).toMatchObject({ name: 'widgets', syncStatus: 'ok' });
    expect((await json('/api/index/status')).status).toBe(200);
  });

  it('the webhook refuses a missing or wrong signature with 401', async () => {
    const payload = JSON.stringify({ ref: 'refs/heads/main', repository: { name: 'widgets', full_name: 'widgets' } });
    const none = await json('/webhooks/github', { method: 'POST', body: payload, headers: { 'x-github-event': 'push' } });
    expect(none.status).toBe(401);
    const wrong = await json('/webhooks/github', {
      method: 'POST',
      body: payload,
      headers: { 'x-github-event': 'push', 'x-hub-signature-256': signGithubPayload('not-the-secret', payload) },
    });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.hint).toContain('GITHUB_WEBHOOK_SECRET');
  });

  it('a signed push webhook triggers exactly one sync of that repo, which picks up the new commit', async () => {
    const newHead = commitFiles(fixture.originDir, { 'src/extra.ts': 'export const extra = 1;\n' }, 'add extra');
    expect(newHead).not.toBe(fixture.head);
    const before = jobs.length;
    const payload = JSON.stringify({ ref: 'refs/heads/main', after: newHead, repository: { name: 'widgets', full_name: 'widgets' } });
    const res = await json('/webhooks/github', {
      method: 'POST',
      body: payload,
      headers: { 'x-github-event': 'push', 'x-hub-signature-256': signGithubPayload(SECRET, payload) },
    });
    expect(res.status).toBe(202);
    await scheduler.idle();
    const started = jobs.slice(before).filter((j) => j.state === 'running');
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({ scope: 'widgets', reason: 'webhook' });
    expect((await app.store.repos.get('widgets'))?.headCommit).toBe(newHead);
    expect(git(fixture.originDir, ['rev-parse', 'HEAD'])).toBe(newHead);
    const ping = await json('/webhooks/github', {
      method: 'POST',
      body: '{}',
      headers: { 'x-github-event': 'ping', 'x-hub-signature-256': signGithubPayload(SECRET, '{}') },
    });
    expect(ping.status).toBe(200);
  });

  it('POST /api/ingest syncs the org once with its token, and never logs, returns or stores the token', async () => {
    expect((await json('/api/ingest', { method: 'POST', body: '{}' })).status).toBe(400);
    expect((await json('/api/ingest', { method: 'POST', body: '{"org":"bad org!"}' })).status).toBe(400);
    const res = await json('/api/ingest', { method: 'POST', body: JSON.stringify({ org: 'acme', github_token: GH_TOKEN }) });
    expect(res.status).toBe(202);
    expect(res.body.job.scope).toBe('github:org/acme');
    await scheduler.idle();
    // The private repository is only listed with the token: seeing it proves the token was used.
    expect(github.requests.some((r) => r.includes('/orgs/acme/repos'))).toBe(true);
    const gadgets = await app.store.repos.get('gadgets');
    expect(gadgets).toMatchObject({ fullName: 'acme/gadgets', isPrivate: true, syncStatus: 'ok' });
    expect(gadgets?.headCommit).toMatch(/^[0-9a-f]{40}$/);
    const status = await http.request('/api/sync/status');
    const text = await status.text();
    expect(text).toContain('github:org/acme');
    expect(text).toContain('gadgets');
    expect(readFileSync(app.config.dbPath).includes(GH_TOKEN)).toBe(false);
    expect(text).not.toContain(GH_TOKEN);
    expect(logLines.join('\n')).not.toContain(GH_TOKEN);
    expect(JSON.stringify(res.body)).not.toContain(GH_TOKEN);
  });
});

describe('request logging', () => {
  it('logs each request with secret-looking parameters masked', async () => {
    const secret = 'glt_0123456789abcdef0123456789abcdef';
    await http.request(`/api/repos?q=widgets&access_token=${secret}&api_key=k3y-value`);
    const line = logLines.find((l) => l.includes('GET /api/repos?q=widgets'));
    expect(line).toBeDefined();
    expect(line).toContain('200');
    expect(line).not.toContain(secret);
    expect(line).not.toContain('k3y-value');
    expect(logLines.join('\n')).not.toContain(secret);
  });
});

describe('API tokens', () => {
  it('are required on /api and /mcp when auth is on; /health stays open; revoked tokens are refused', async () => {
    const secured = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: true });
    expect((await secured.request('/health')).status).toBe(200);
    const missing = await secured.request('/api/repos');
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { hint: string } }).error.hint).toContain('gitlore token create');
    expect((await secured.request('/mcp', { method: 'POST', body: '{}' })).status).toBe(401);
    expect((await secured.request('/api/repos', { headers: { authorization: 'Bearer glt_0000' } })).status).toBe(401);

    const { token, record } = await createApiToken(app.store.tokens, 'ci');
    const ok = await secured.request('/api/repos', { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect((await app.store.tokens.list()).find((t) => t.id === record.id)?.lastUsedAt).not.toBeNull();

    expect(await app.store.tokens.revoke(String(record.id))).toBe(1);
    const revoked = await secured.request('/api/repos', { headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: { message: string } }).error.message).toContain('revoked');
  });
});

describe('DNS-rebinding guard', () => {
  it('a tokenless server answers only to the host names it allows', async () => {
    const guarded = createHttpApp({ app, version: '9.9.9', scheduler: null, requireAuth: false, allowedHosts: () => ['127.0.0.1:3000'] });
    expect((await guarded.request('http://127.0.0.1:3000/api/repos')).status).toBe(200);
    const rebound = await guarded.request('http://evil.example:3000/api/repos');
    expect(rebound.status).toBe(403);
    expect(((await rebound.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
  });
});
