import { request } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../src/core/app.js';
import { createJobQueue } from '../../src/core/jobs.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';
import { MAX_WEBHOOK_BYTES, signGithubPayload } from '../../src/server/webhook.js';
import { runCli } from '../helpers/cli.js';
import { makeRepo } from '../helpers/git.js';
import { type Fixture, makeFixture, openTestApp } from '../mcp/fixture.js';

const SECRET = 'webhook-secret-for-tests';

let fixture: Fixture;
let app: App;
let server: RunningServer;
let mcp: Client | undefined;

const cli = (args: string[]) => runCli(args, { dataDir: fixture.dataDir, cwd: fixture.root, env: { GITLORE_EMBEDDINGS: 'none' } });

async function getJson(path: string): Promise<{ status: number; body: { error?: { code: string; message: string; hint?: string } } }> {
  const res = await fetch(`${server.url}${path}`);
  return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string; hint?: string } } };
}

/** Calls an MCP tool over the server's /mcp; answers the error text when the call fails. */
async function callTool(name: string, args: Record<string, unknown>): Promise<{ isError: boolean; text: string }> {
  if (!mcp) {
    mcp = new Client({ name: 'fault-probe', version: '0' });
    await mcp.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
  }
  try {
    const result = await mcp.callTool({ name, arguments: args });
    const text = (result.content as { type: string; text?: string }[]).map((c) => c.text ?? '').join('\n');
    return { isError: result.isError === true, text };
  } catch (error) {
    return { isError: true, text: (error as Error).message };
  }
}

/** Over the 8 MiB the file reader serves. */
const BIG_BYTES = 9 * 1024 * 1024;

beforeAll(async () => {
  fixture = await makeFixture();
  // `gadgets` is indexed, `widgets` (the fixture) is registered and synced but never indexed.
  const gadgets = `${fixture.root}/upstream/gadgets`;
  makeRepo(gadgets, { 'main.go': 'package main\n\nfunc gadgetMain() {}\n', 'big.txt': 'x'.repeat(BIG_BYTES) });
  for (const args of [
    ['repo', 'add', gadgets, '--name', 'gadgets'],
    ['sync', 'repo', 'gadgets'],
    ['index', '--repo', 'gadgets'],
  ]) {
    const result = await cli(args);
    expect(result.code, result.stderr).toBe(0);
  }
  app = await openTestApp(fixture.dataDir, fixture.root, { GITHUB_WEBHOOK_SECRET: SECRET });
  server = await startServer({ app, version: 'test', host: '127.0.0.1', port: 0, jobs: null, background: false });
});

afterAll(async () => {
  await mcp?.close();
  await server?.close();
  await app?.store.close();
});

/**
 * POSTs a chunked webhook body that is written in `chunk`-sized pieces up to `total` bytes, or
 * never finished when `total` is Infinity; resolves with the status as soon as the server answers.
 */
function postChunked(headers: Record<string, string>, chunk: Buffer, total: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/webhooks/github`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-github-event': 'push', ...headers },
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (d) => {
        body += String(d);
      });
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body });
        req.destroy();
      });
    });
    req.on('error', reject);
    let sent = 0;
    const pump = () => {
      while (sent < total && !req.destroyed) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (sent >= total && !req.destroyed) req.end();
    };
    if (Number.isFinite(total)) pump();
    else req.write(chunk); // one piece, then the body never ends
  });
}

describe('fault: webhook body before signature', () => {
  it('refuses a missing or malformed signature header with 401 before reading the body', async () => {
    // Before the fix: no answer until the body ended (the 25 MB cap was buffered first), so this timed out.
    const missing = await postChunked({}, Buffer.alloc(1024, 'x'), Number.POSITIVE_INFINITY);
    expect(missing.status).toBe(401);
    expect(JSON.parse(missing.body).error.code).toBe('UNAUTHORIZED');
    const malformed = await postChunked({ 'x-hub-signature-256': 'sha1=abc' }, Buffer.alloc(1024, 'x'), Number.POSITIVE_INFINITY);
    expect(malformed.status).toBe(401);
  }, 10_000);

  it('stops reading a signed-looking body at 25 MB with 413 PAYLOAD_TOO_LARGE', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    const res = await postChunked(
      { 'x-hub-signature-256': signGithubPayload(SECRET, 'other') },
      chunk,
      MAX_WEBHOOK_BYTES + 2 * chunk.length,
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body).error.code).toBe('PAYLOAD_TOO_LARGE');
  }, 20_000);

  it('still accepts a signed ping', async () => {
    const res = await fetch(`${server.url}/webhooks/github`, {
      method: 'POST',
      body: '{}',
      headers: { 'x-github-event': 'ping', 'x-hub-signature-256': signGithubPayload(SECRET, '{}') },
    });
    expect(res.status).toBe(200);
  });
});

describe('fault: impossible dates', () => {
  it('refuses --since 2024-13-45 on the CLI, over HTTP and over MCP, naming the flag and the formats', async () => {
    // Before the fix: 2024-13-45 rolled over to 2025-02-14 and the log answered as if it were valid.
    const log = await cli(['log', '--repo', 'widgets', '--since', '2024-13-45', '--json']);
    expect(log.code).toBe(2);
    expect(log.stdout).toBe('');
    expect(log.stderr).toContain('--since "2024-13-45" is not a valid date');
    expect(log.stderr).toContain('2024-05-01');
    expect(log.stderr.trim().split('\n')).toHaveLength(1);

    const http = await getJson('/api/commits?repo=widgets&until=2024-02-30');
    expect(http.status).toBe(400);
    expect(http.body.error?.code).toBe('QUERY_INVALID');
    expect(http.body.error?.message).toContain('--until "2024-02-30"');

    const tool = await callTool('get_commit_timeline', { repo: 'widgets', since: '2024-13' });
    expect(tool.isError).toBe(true);
    expect(tool.text).toContain('"2024-13" is not a valid date');
  }, 20_000);
});

describe('fault: unknown language and unknown tool arguments', () => {
  it('refuses --lang klingon on the CLI and over HTTP, listing the known languages', async () => {
    // Before the fix: klingon matched no chunk and the search answered an empty list.
    const search = await cli(['search', 'parseWidget', '--lang', 'klingon', '--json']);
    expect(search.code).toBe(2);
    expect(search.stderr).toContain('Unknown language "klingon"');
    expect(search.stderr).toContain('typescript');
    const typo = await getJson('/api/search?q=parseWidget&lang=pyhton');
    expect(typo.status).toBe(400);
    expect(typo.body.error?.message).toContain('did you mean python?');
  }, 20_000);

  it('refuses an MCP argument the tool does not take, naming it and suggesting the right one', async () => {
    // Before the fix: `repo` was dropped and search_code searched every repository.
    const wrong = await callTool('search_code', { query: 'parseWidget', repo: 'widgets' });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toContain('Unknown argument "repo" (did you mean repos?)');
    const timeline = await callTool('get_commit_timeline', { repo: 'widgets', author: 'Bob', sinse: '2024-01' });
    expect(timeline.isError).toBe(true);
    expect(timeline.text).toContain('"sinse" (did you mean since?)');
  }, 20_000);
});

describe('fault: registered but never indexed', () => {
  it('answers NOT_INDEXED naming `gitlore index --repo` on the CLI, over HTTP and MCP, instead of []', async () => {
    // Before the fix: every door answered an empty list, as if the code did not exist.
    const search = await cli(['search', 'parseWidget', '--repo', 'widgets', '--json']);
    expect(search.code).toBe(1);
    expect(search.stdout).toBe('');
    expect(search.stderr).toContain('widgets is registered but not indexed yet');
    expect(search.stderr).toContain('gitlore index --repo widgets');

    const http = await getJson('/api/search?q=parseWidget&repo=widgets');
    expect(http.status).toBe(409);
    expect(http.body.error?.code).toBe('NOT_INDEXED');
    expect(http.body.error?.hint).toContain('gitlore index --repo widgets');

    const symbol = await callTool('find_symbol', { name: 'parseWidget', repo: 'widgets' });
    expect(symbol.isError).toBe(true);
    expect(symbol.text).toContain('NOT_INDEXED');
    expect(symbol.text).toContain('gitlore index --repo widgets');

    // The indexed one still answers.
    const found = await callTool('find_symbol', { name: 'gadgetMain', repo: 'gadgets' });
    expect(found.isError).toBe(false);
    expect(found.text).toContain('main.go');
  }, 20_000);
});

describe('fault: a file over the read limit', () => {
  it('answers FILE_TOO_LARGE (413) naming the size and the limit, over HTTP and MCP', async () => {
    // Before the fix: 404 FILE_NOT_FOUND, after buffering the blob until git's output passed 8 MiB.
    const http = await getJson('/api/files/gadgets/big.txt');
    expect(http.status).toBe(413);
    expect(http.body.error?.code).toBe('FILE_TOO_LARGE');
    expect(http.body.error?.message).toBe('big.txt is 9 MiB; files over 8 MiB are not served.');

    const tool = await callTool('get_file', { repo: 'gadgets', path: 'big.txt' });
    expect(tool.isError).toBe(true);
    expect(tool.text).toContain('FILE_TOO_LARGE');

    const missing = await getJson('/api/files/gadgets/nothing.txt');
    expect(missing.body.error?.code).toBe('FILE_NOT_FOUND');
    expect((await getJson('/api/files/gadgets/main.go')).status).toBe(200);
  }, 20_000);
});

describe('fault: POST /api/ingest under SKIP_CLONE', () => {
  it('refuses with NOT_CONFIGURED explaining SKIP_CLONE instead of queuing a job that does nothing', async () => {
    const skipApp = await openTestApp(fixture.dataDir, fixture.root, { SKIP_CLONE: 'true', SKIP_AUTO_INDEX: 'true' });
    const jobs = createJobQueue(skipApp, { background: false });
    const skip = await startServer({ app: skipApp, version: 'test', host: '127.0.0.1', port: 0, jobs, background: false });
    try {
      // Before the fix: 202 queued, and the job reported done without cloning anything.
      const res = await fetch(`${skip.url}/api/ingest`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ org: 'acme' }),
      });
      const body = (await res.json()) as { error?: { code: string; message: string; hint?: string } };
      expect(res.status).toBe(501);
      expect(body.error?.code).toBe('NOT_CONFIGURED');
      expect(body.error?.message).toContain('SKIP_CLONE');
      expect((await jobs.status()).recent).toEqual([]);
    } finally {
      await skip.close();
      await skipApp.store.close();
    }
  }, 20_000);
});
