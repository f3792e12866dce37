import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { App } from '../../src/core/app.js';
import { createJobQueue } from '../../src/core/jobs.js';
import { createServices } from '../../src/core/services.js';
import { createHttpApp } from '../../src/server/httpApp.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { silentLogger } from '../../src/shared/logger.js';
import type { Store } from '../../src/store/index.js';
import { type FakeChatServer, type ScriptedTurn, startFakeChat } from '../fakes/chatServer.js';
import { BACKENDS, openBackendStore } from '../helpers/backends.js';
import { hashedEmbedder } from '../helpers/embedders.js';
import { tempDir } from '../helpers/git.js';
import { parseExposition, sampleValue } from '../helpers/prometheus.js';
import { type Fixture, makeFixture } from '../mcp/fixture.js';

let fixture: Fixture;
let chat: FakeChatServer;
let script: ScriptedTurn[] = [];
const opened: App[] = [];

async function openApp(env: Record<string, string> = {}, store?: Store): Promise<App> {
  const config = loadConfig({
    env: {
      GITLORE_DATA_DIR: fixture.dataDir,
      GITLORE_EMBEDDINGS: 'none',
      GITLORE_LLM: 'openai',
      GITLORE_LLM_MODEL: 'scripted',
      OPENAI_BASE_URL: chat.url,
      ...env,
    },
    cwd: fixture.root,
  });
  const app = await createServices(config, { log: silentLogger, embedder: hashedEmbedder(), ...(store ? { store } : {}) });
  opened.push(app);
  return app;
}

beforeAll(async () => {
  fixture = await makeFixture();
  chat = await startFakeChat(() => script.shift() ?? { text: 'out of script' });
});

afterAll(async () => {
  for (const app of opened.splice(0).reverse()) await app.close();
  await chat?.close();
});

describe('GET /metrics on a real server', () => {
  let server: RunningServer;
  let app: App;

  beforeAll(async () => {
    app = await openApp();
    server = await startServer({
      app,
      version: '0',
      host: '127.0.0.1',
      port: 0,
      jobs: createJobQueue(app, { background: true }),
      background: true,
    });
    await server.jobs?.idle();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('counts requests by route template and status class, jobs, embedded chunks, model tokens, and reads the store', async () => {
    for (const path of ['/api/repos', '/api/repos/widgets', '/api/repos/no-such-repo', '/api/search?q=parseWidget', '/api/nothing-here']) {
      await (await fetch(`${server.url}${path}`)).text();
    }
    script = [{ text: 'parseWidget splits the spec: widgets/src/parse.ts:1-3.' }];
    const ask = await fetch(`${server.url}/api/ask?stream=false`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'what does parseWidget do?' }),
    });
    expect(ask.status).toBe(200);

    const res = await fetch(`${server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await res.text();
    const samples = parseExposition(text);

    const requests = (labels: Record<string, string>) => sampleValue(samples, 'gitlore_http_requests_total', { method: 'GET', ...labels });
    expect(requests({ route: '/api/repos', status_class: '2xx' })).toBe(1);
    expect(requests({ route: '/api/repos/:repo', status_class: '2xx' })).toBe(1);
    expect(requests({ route: '/api/repos/:repo', status_class: '4xx' })).toBe(1);
    expect(requests({ route: '/api/search', status_class: '2xx' })).toBe(1);
    expect(requests({ route: 'unmatched', status_class: '4xx' })).toBe(1);
    expect(sampleValue(samples, 'gitlore_http_requests_total', { method: 'POST', route: '/api/ask', status_class: '2xx' })).toBe(1);
    expect(
      sampleValue(samples, 'gitlore_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/api/repos/:repo',
        status_class: '2xx',
      }),
    ).toBe(1);
    // Label values are templates and classes: no repository name, no query text, no raw path.
    const labelValues = samples.flatMap((s) => Object.values(s.labels));
    for (const leak of ['widgets', 'no-such-repo', 'parseWidget', 'nothing-here']) {
      expect(labelValues.filter((v) => v.includes(leak))).toEqual([]);
    }

    // The startup job synced and indexed the fixture repository in this process (SQLite: the in-process queue).
    expect(sampleValue(samples, 'gitlore_jobs_total', { kind: 'resync', outcome: 'done' })).toBe(1);
    expect(sampleValue(samples, 'gitlore_job_duration_seconds_count', { kind: 'resync', outcome: 'done' })).toBe(1);
    expect(sampleValue(samples, 'gitlore_job_queue_depth')).toBe(0);
    expect(sampleValue(samples, 'gitlore_repositories_sync_state', { state: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'gitlore_repositories_index_state', { state: 'ok' })).toBe(1);
    expect(sampleValue(samples, 'gitlore_database_bytes')).toBeGreaterThan(0);
    // The fixture repository's clone under the data dir: at least its git objects.
    expect(sampleValue(samples, 'gitlore_clones_bytes')).toBeGreaterThan(1000);
    expect(sampleValue(samples, 'gitlore_embedded_texts_total')).toBeGreaterThanOrEqual(3);
    // The fake model reports 50 prompt and 10 completion tokens for a one-turn answer.
    expect(sampleValue(samples, 'gitlore_llm_tokens_total', { provider: 'openai', direction: 'input' })).toBeGreaterThan(0);
    expect(sampleValue(samples, 'gitlore_llm_tokens_total', { provider: 'openai', direction: 'output' })).toBeGreaterThan(0);
    // prom-client's process metrics.
    expect(sampleValue(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(samples.some((s) => s.name.startsWith('nodejs_eventloop_lag'))).toBe(true);

    // The scrape itself is counted, by the next one.
    const again = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    expect(sampleValue(again, 'gitlore_http_requests_total', { method: 'GET', route: '/metrics', status_class: '2xx' })).toBe(1);
  });

  it('/ready answers 200 once started, /health without checks', async () => {
    await server.ready;
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', store: 'sqlite', checkMs: expect.any(Number) });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
  });
});

describe('GET /metrics with auth on', () => {
  const METRICS_TOKEN = 'metrics-scraper-token-0123';

  it('answers a scraper showing GITLORE_METRICS_TOKEN, and refuses a request without it or with another token', async () => {
    const app = await openApp({ GITLORE_METRICS_TOKEN: METRICS_TOKEN });
    const http = createHttpApp({ app, version: '0', scheduler: null, requireAuth: true });
    const get = (path: string, token?: string) => http.request(path, token ? { headers: { authorization: `Bearer ${token}` } } : {});
    expect((await get('/metrics')).status).toBe(401);
    expect((await get('/metrics', 'metrics-scraper-token-0124')).status).toBe(401);
    const ok = await get('/metrics', METRICS_TOKEN);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('# TYPE gitlore_http_requests_total counter');
    // The probes never need a token; the metrics token opens nothing else.
    expect((await get('/health')).status).toBe(200);
    expect((await get('/ready')).status).toBe(200);
    expect((await get('/api/repos', METRICS_TOKEN)).status).toBe(401);
  });

  it('without GITLORE_METRICS_TOKEN, needs a token or session like every other route', async () => {
    const app = await openApp();
    const http = createHttpApp({ app, version: '0', scheduler: null, requireAuth: true });
    expect((await http.request('/metrics')).status).toBe(401);
    expect((await http.request('/metrics', { headers: { authorization: 'Bearer anything-at-all-here' } })).status).toBe(401);
  });
});

describe('GET /ready', () => {
  it('answers 503 NOT_READY while the server reads the index state, 200 after, 503 again once stopping', async () => {
    const base = await openApp();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let held = true;
    // A store whose index state is slow to read, as a busy or restarting database would be.
    const index = new Proxy(base.store.index, {
      get(target, key, receiver) {
        const value = Reflect.get(target, key, receiver);
        if (key !== 'getMeta' || typeof value !== 'function') return value;
        return async (...args: unknown[]) => {
          if (held) await gate;
          return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
        };
      },
    });
    const app: App = { ...base, store: { ...base.store, index } };
    const server = await startServer({ app, version: '0', host: '127.0.0.1', port: 0, jobs: null, background: false });
    try {
      expect((await fetch(`${server.url}/health`)).status).toBe(200);
      const starting = await fetch(`${server.url}/ready`);
      expect(starting.status).toBe(503);
      expect(await starting.json()).toEqual({
        error: { code: 'NOT_READY', message: 'gitlore is starting: the index state is not read yet.', hint: 'Retry in a few seconds.' },
      });
      held = false;
      release();
      await server.ready;
      expect((await fetch(`${server.url}/ready`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('answers 503 naming the database when the store does not answer', async () => {
    const base = await openApp();
    const app: App = {
      ...base,
      store: { ...base.store, sizeBytes: async () => Promise.reject(new Error('connection refused')) },
    };
    const http = createHttpApp({ app, version: '0', scheduler: null, requireAuth: false });
    const res = await http.request('/ready');
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({
      error: { code: 'NOT_READY', message: 'The sqlite database does not answer: connection refused.' },
    });
    const stopping = createHttpApp({ app: base, version: '0', scheduler: null, requireAuth: false, readiness: () => 'stopping' });
    expect(await (await stopping.request('/ready')).json()).toMatchObject({
      error: { code: 'NOT_READY', message: 'gitlore is shutting down.' },
    });
  });
});

describe.each(BACKENDS)('store-derived metrics and /ready on %s', (backend) => {
  it('reports the queue depth, repository states and database size read from the store', async () => {
    const root = tempDir('gitlore-metrics-store-');
    const opened = await openBackendStore(backend, { dbPath: join(root, 'index', 'gitlore.db'), reposPath: join(root, 'repos') });
    try {
      // The services close their store; the helper closes (and drops) it here, once.
      const app = await openApp({}, { ...opened.store, close: async () => {} });
      await app.store.repos.upsert({
        name: 'secret-project',
        sourceType: 'git',
        sourceKey: 'git',
        fullName: 'secret-project',
        cloneUrl: 'https://example.com/secret-project.git',
        localPath: join(root, 'repos', 'secret-project'),
      });
      const queue = createJobQueue(app, { background: false });
      // On PostgreSQL the job waits in the table for a worker; on SQLite the in-process queue is not started.
      if (backend === 'postgres') await queue.enqueue({ kind: 'repo', name: 'secret-project' }, 'api');
      const http = createHttpApp({ app, version: '0', scheduler: queue, requireAuth: false });
      const text = await (await http.request('/metrics')).text();
      const samples = parseExposition(text);
      expect(sampleValue(samples, 'gitlore_repositories_sync_state', { state: 'pending' })).toBe(1);
      expect(sampleValue(samples, 'gitlore_repositories_index_state', { state: 'not indexed' })).toBe(1);
      expect(sampleValue(samples, 'gitlore_job_queue_depth')).toBe(backend === 'postgres' ? 1 : 0);
      expect(sampleValue(samples, 'gitlore_database_bytes')).toBeGreaterThan(0);
      expect(text).not.toContain('secret-project');
      const ready = await http.request('/ready');
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready', store: backend });
      await queue.stop();
    } finally {
      await opened.close();
    }
  });
});
